//! Organizations reads: the SCPs (or RCPs) attached at each level from an account up to the root.
//! Only the management account or a delegated administrator may read them.

use super::pages::Pages;
use super::sdk_error::{incomplete, unreadable};
use aws_sdk_organizations::Client;
use aws_sdk_organizations::types::{Account, AccountState, AccountStatus, ParentType, PolicyType};
use delivery_guard_core::snapshot::probes::{PolicyDocument, PolicyLevel};
use delivery_guard_core::snapshot::{Observed, OrgAccount, Unreadable};
use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;
use std::sync::Arc;
use tokio::sync::{Mutex, OnceCell};

/// Organizations nest OUs at most five deep; the bound stops a cycle.
const MAX_DEPTH: usize = 8;
/// Organizations holds at most 2,000 OUs (a quota); the bound stops a cycle.
const MAX_OUS: usize = 2_000;
const NOT_IN_USE: &str = "AWSOrganizationsNotInUseException";
/// ListAccounts pages hold at most 20 accounts; Organizations allows at most 10,000 accounts by
/// default (a quota that can be raised), so 2,000 pages leave room and still end a loop.
const MAX_ACCOUNT_PAGES: usize = 2_000;
/// Policies, OUs and accounts under one parent: pages of at most 20, quotas far below this.
const MAX_PAGES: usize = 500;

/// `State` replaces `Status`; an account is active if whichever is present says so, and one that
/// carries neither is an incomplete answer.
fn account_is_active(account: &Account) -> Result<bool, Unreadable> {
    match (account.state(), account.status()) {
        (Some(state), _) => Ok(*state == AccountState::Active),
        (None, Some(status)) => Ok(*status == AccountStatus::Active),
        (None, None) => Err(incomplete(
            "ListAccounts",
            "an account without its State or Status",
        )),
    }
}

/// Organizations, read with one client; within one sweep, each answer read once.
#[derive(Clone, Debug)]
pub struct OrganizationsReader {
    client: Client,
    memo: Option<Arc<Memo>>,
}

/// Answers that are the same in every Region and for every member of one sweep: the caller's
/// Organization, the policies attached to each target, each child's parent. A sweep of 1,000
/// accounts x 17 Regions otherwise walks the same root and OUs 17,000 times. Only answers that were
/// read are kept; a failed read is tried again by the next one to ask.
#[derive(Debug, Default)]
struct Memo {
    organization: OnceCell<(Option<String>, Option<String>)>,
    attached: Remembered<(String, String), Vec<PolicyDocument>>,
    parents: Remembered<String, Option<Parent>>,
}

/// Answers by key, each read at most once at a time and kept once read.
type Remembered<K, V> = Mutex<HashMap<K, Arc<OnceCell<V>>>>;

/// A target's parent: its ID, and whether it is the root.
#[derive(Clone, Debug)]
struct Parent {
    id: String,
    is_root: bool,
}

/// The value read once for `key`, or why it could not be read (not kept).
async fn read_once<K, V, F, Fut>(map: &Remembered<K, V>, key: K, read: F) -> Result<V, Unreadable>
where
    K: Eq + Hash,
    V: Clone,
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<V, Unreadable>>,
{
    let cell = Arc::clone(map.lock().await.entry(key).or_default());
    cell.get_or_try_init(read).await.cloned()
}

impl OrganizationsReader {
    /// Reads with this client, every time.
    pub fn new(client: Client) -> Self {
        Self { client, memo: None }
    }

    /// This reader and its clones read each answer once from now on: for one sweep, never for
    /// longer (SCPs change between runs).
    #[must_use]
    pub fn remembering(self) -> Self {
        Self {
            client: self.client,
            memo: Some(Arc::default()),
        }
    }

    /// The Organization's ACTIVE accounts, sorted by ID. Suspended and closing accounts deliver nothing
    /// and cannot be assumed into, so they are not judged. An answer that parses but is short (a
    /// repeated token, an account without its ID or state, no account at all: an Organization
    /// always holds its management account) is an error, never a smaller Organization.
    pub async fn active_accounts(&self) -> Result<Vec<OrgAccount>, Unreadable> {
        const CALL: &str = "ListAccounts";
        let mut pages = Pages::new(CALL, MAX_ACCOUNT_PAGES);
        let mut next_token = None;
        let mut listed = 0;
        let mut accounts = Vec::new();
        loop {
            let page = self
                .client
                .list_accounts()
                .set_next_token(next_token.take())
                .send()
                .await
                .map_err(|err| unreadable(CALL, &err))?;
            for account in page.accounts() {
                listed += 1;
                let id = account
                    .id()
                    .ok_or_else(|| incomplete(CALL, "an account without its Id"))?;
                if account_is_active(account)? {
                    accounts.push(OrgAccount {
                        id: id.to_owned(),
                        name: account.name().unwrap_or_default().to_owned(),
                        ou: None,
                    });
                }
            }
            match pages.next(page.next_token())? {
                Some(token) => next_token = Some(token),
                None => break,
            }
        }
        if listed == 0 {
            return Err(incomplete(
                CALL,
                "no account at all: an Organization always holds its management account",
            ));
        }
        accounts.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(accounts)
    }

    /// Whether an account Config holds a result for but ListAccounts did not name is still an
    /// ACTIVE member (`DescribeAccount`): Some(false) when it left the Organization or is not
    /// ACTIVE; an error when that cannot be told.
    pub async fn still_active(&self, account_id: &str) -> Result<bool, Unreadable> {
        const CALL: &str = "DescribeAccount";
        match self.client.describe_account().account_id(account_id).send().await {
            Ok(out) => match out.account() {
                Some(account) => account_is_active(account),
                None => Err(incomplete(CALL, "no Account in the answer")),
            },
            Err(err) => match unreadable(CALL, &err) {
                why if why.code.as_deref() == Some("AccountNotFoundException") => Ok(false),
                why => Err(why),
            },
        }
    }

    /// The ACTIVE accounts with their OUs; the OUs are left unknown, with why, when the tree
    /// cannot be read (the accounts are judged all the same).
    pub async fn active_accounts_placed(&self) -> Result<(Vec<OrgAccount>, Option<Unreadable>), Unreadable> {
        let mut accounts = self.active_accounts().await?;
        match self.placements().await {
            Ok(placed) => {
                for account in &mut accounts {
                    account.ou = placed.get(&account.id).cloned();
                }
                Ok((accounts, None))
            }
            Err(why) => Ok((accounts, Some(why))),
        }
    }

    /// Where each account sits, `Root/<ou>/<ou>` by OU name, from one walk down the tree: two
    /// listings per OU, however many accounts (reports group by OU; verdicts never depend on it).
    pub async fn placements(&self) -> Result<BTreeMap<String, String>, Unreadable> {
        let roots = self
            .client
            .list_roots()
            .send()
            .await
            .map_err(|err| unreadable("ListRoots", &err))?;
        let mut placed = BTreeMap::new();
        let mut parents: Vec<(String, String)> = roots
            .roots()
            .iter()
            .filter_map(|root| Some((root.id()?.to_owned(), "Root".to_owned())))
            .collect();
        let mut visited = 0;
        while let Some((parent, path)) = parents.pop() {
            visited += 1;
            if visited > MAX_OUS {
                return Err(incomplete(
                    "ListOrganizationalUnitsForParent",
                    "more OUs than an Organization may hold",
                ));
            }
            for id in self.accounts_under(&parent).await? {
                placed.insert(id, path.clone());
            }
            for (id, name) in self.units_under(&parent).await? {
                parents.push((id, format!("{path}/{name}")));
            }
        }
        Ok(placed)
    }

    /// ListAccountsForParent, every page; an account without its ID is an incomplete answer.
    async fn accounts_under(&self, parent: &str) -> Result<Vec<String>, Unreadable> {
        const CALL: &str = "ListAccountsForParent";
        let mut pages = Pages::new(CALL, MAX_PAGES);
        let (mut next_token, mut ids) = (None, Vec::new());
        loop {
            let page = self
                .client
                .list_accounts_for_parent()
                .parent_id(parent)
                .set_next_token(next_token.take())
                .send()
                .await
                .map_err(|err| unreadable(CALL, &err))?;
            for account in page.accounts() {
                let id = account
                    .id()
                    .ok_or_else(|| incomplete(CALL, "an account without its Id"))?;
                ids.push(id.to_owned());
            }
            match pages.next(page.next_token())? {
                Some(token) => next_token = Some(token),
                None => return Ok(ids),
            }
        }
    }

    /// ListOrganizationalUnitsForParent, every page: each OU's ID and name.
    async fn units_under(&self, parent: &str) -> Result<Vec<(String, String)>, Unreadable> {
        const CALL: &str = "ListOrganizationalUnitsForParent";
        let mut pages = Pages::new(CALL, MAX_PAGES);
        let (mut next_token, mut units) = (None, Vec::new());
        loop {
            let page = self
                .client
                .list_organizational_units_for_parent()
                .parent_id(parent)
                .set_next_token(next_token.take())
                .send()
                .await
                .map_err(|err| unreadable(CALL, &err))?;
            for unit in page.organizational_units() {
                let id = unit
                    .id()
                    .ok_or_else(|| incomplete(CALL, "an OU without its Id"))?;
                units.push((id.to_owned(), unit.name().unwrap_or(id).to_owned()));
            }
            match pages.next(page.next_token())? {
                Some(token) => next_token = Some(token),
                None => return Ok(units),
            }
        }
    }

    /// The caller's Organization ID (`None` when the account is in no Organization) and its
    /// management account. Any member may ask.
    pub async fn organization(&self) -> (Observed<Option<String>>, Option<String>) {
        let read = match &self.memo {
            Some(memo) => memo
                .organization
                .get_or_try_init(|| self.read_organization())
                .await
                .cloned(),
            None => self.read_organization().await,
        };
        match read {
            Ok((id, management)) => (Observed::Read(id), management),
            Err(why) => (Observed::Unreadable(why), None),
        }
    }

    async fn read_organization(&self) -> Result<(Option<String>, Option<String>), Unreadable> {
        match self.client.describe_organization().send().await {
            // An answer without the Organization or its ID is incomplete: "in no Organization" is
            // said only by AWSOrganizationsNotInUseException.
            Ok(output) => {
                let organization = output
                    .organization()
                    .ok_or_else(|| incomplete("DescribeOrganization", "no Organization in the answer"))?;
                let id = organization
                    .id()
                    .ok_or_else(|| incomplete("DescribeOrganization", "an Organization without its Id"))?;
                Ok((
                    Some(id.to_owned()),
                    organization.master_account_id().map(str::to_owned),
                ))
            }
            Err(err) => match unreadable("DescribeOrganization", &err) {
                why if why.code.as_deref() == Some(NOT_IN_USE) => Ok((None, None)),
                why => Err(why),
            },
        }
    }

    /// SCPs on the account's path, root first, the account last.
    pub async fn scp_levels(&self, account_id: &str) -> Observed<Vec<PolicyLevel>> {
        self.levels(account_id, PolicyType::ServiceControlPolicy).await
    }

    /// RCPs on the path of the account that owns a resource (a bucket, a key).
    pub async fn rcp_levels(&self, account_id: &str) -> Observed<Vec<PolicyLevel>> {
        self.levels(account_id, PolicyType::ResourceControlPolicy).await
    }

    async fn levels(&self, account_id: &str, kind: PolicyType) -> Observed<Vec<PolicyLevel>> {
        let mut levels = Vec::new();
        let mut target = account_id.to_owned();
        for _ in 0..MAX_DEPTH {
            match self.attached(&target, &kind).await {
                // Not in an organization: no SCP applies.
                Observed::Unreadable(why) if why.code.as_deref() == Some(NOT_IN_USE) => {
                    return Observed::Read(Vec::new());
                }
                Observed::Read(policies) => levels.push(PolicyLevel {
                    target: target.clone(),
                    policies,
                }),
                Observed::Unreadable(why) => return Observed::Unreadable(why),
            }
            let parent = match self.parent(&target).await {
                Ok(Some(parent)) => parent,
                Ok(None) => return Observed::Unreadable(incomplete("ListParents", "no parent")),
                Err(why) => return Observed::Unreadable(why),
            };
            if parent.is_root {
                match self.attached(&parent.id, &kind).await {
                    Observed::Read(policies) => levels.push(PolicyLevel {
                        target: parent.id,
                        policies,
                    }),
                    Observed::Unreadable(why) => return Observed::Unreadable(why),
                }
                levels.reverse();
                return Observed::Read(levels);
            }
            target = parent.id;
        }
        Observed::Unreadable(incomplete("ListParents", "no root within eight levels"))
    }

    async fn parent(&self, child: &str) -> Result<Option<Parent>, Unreadable> {
        match &self.memo {
            Some(memo) => read_once(&memo.parents, child.to_owned(), || self.read_parent(child)).await,
            None => self.read_parent(child).await,
        }
    }

    async fn read_parent(&self, child: &str) -> Result<Option<Parent>, Unreadable> {
        let out = self
            .client
            .list_parents()
            .child_id(child)
            .send()
            .await
            .map_err(|err| unreadable("ListParents", &err))?;
        Ok(out.parents().first().map(|parent| Parent {
            id: parent.id().unwrap_or_default().to_owned(),
            is_root: parent.r#type() == Some(&ParentType::Root),
        }))
    }

    async fn attached(&self, target: &str, kind: &PolicyType) -> Observed<Vec<PolicyDocument>> {
        let read = match &self.memo {
            Some(memo) => {
                let key = (target.to_owned(), kind.as_str().to_owned());
                read_once(&memo.attached, key, || self.read_attached(target, kind)).await
            }
            None => self.read_attached(target, kind).await,
        };
        read.map_or_else(Observed::Unreadable, Observed::Read)
    }

    /// ListPoliciesForTarget, every page: NextToken is followed even after empty pages, as the
    /// API asks; a policy without its ID is an incomplete answer, never one policy fewer.
    async fn attached_ids(&self, target: &str, kind: &PolicyType) -> Result<Vec<String>, Unreadable> {
        const CALL: &str = "ListPoliciesForTarget";
        let mut pages = Pages::new(CALL, MAX_PAGES);
        let (mut next_token, mut ids) = (None, Vec::new());
        loop {
            let page = self
                .client
                .list_policies_for_target()
                .target_id(target)
                .filter(kind.clone())
                .set_next_token(next_token.take())
                .send()
                .await
                .map_err(|err| unreadable(CALL, &err))?;
            for policy in page.policies() {
                let id = policy
                    .id()
                    .ok_or_else(|| incomplete(CALL, "a policy without its Id"))?;
                ids.push(id.to_owned());
            }
            match pages.next(page.next_token())? {
                Some(token) => next_token = Some(token),
                None => return Ok(ids),
            }
        }
    }

    async fn read_attached(
        &self,
        target: &str,
        kind: &PolicyType,
    ) -> Result<Vec<PolicyDocument>, Unreadable> {
        let ids = self.attached_ids(target, kind).await?;
        let mut documents = Vec::with_capacity(ids.len());
        for id in ids {
            match self.client.describe_policy().policy_id(&id).send().await {
                Ok(out) => match out.policy().and_then(|p| p.content()) {
                    Some(content) => documents.push(PolicyDocument {
                        name: out
                            .policy()
                            .and_then(|p| p.policy_summary())
                            .and_then(|s| s.name())
                            .unwrap_or(&id)
                            .to_owned(),
                        document: content.to_owned(),
                    }),
                    None => return Err(incomplete("DescribePolicy", "no Content")),
                },
                Err(err) => return Err(unreadable("DescribePolicy", &err)),
            }
        }
        Ok(documents)
    }
}

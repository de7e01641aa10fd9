//! Organizations reads: the SCPs (or RCPs) attached at each level from an account up to the root.
//! Only the management account or a delegated administrator may read them.

use super::sdk_error::{malformed, unreadable};
use aws_sdk_organizations::Client;
use aws_sdk_organizations::types::{AccountState, AccountStatus, ParentType, PolicyType};
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
    /// and cannot be assumed into, so they are not judged.
    pub async fn active_accounts(&self) -> Result<Vec<OrgAccount>, Unreadable> {
        let mut pages = self.client.list_accounts().into_paginator().send();
        let mut accounts = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|err| unreadable("ListAccounts", &err))?;
            for account in page.accounts() {
                // `State` replaces `Status`; an account is active if whichever is present says so.
                let active = match (account.state(), account.status()) {
                    (Some(state), _) => *state == AccountState::Active,
                    (None, Some(status)) => *status == AccountStatus::Active,
                    (None, None) => false,
                };
                if let (true, Some(id)) = (active, account.id()) {
                    accounts.push(OrgAccount {
                        id: id.to_owned(),
                        name: account.name().unwrap_or_default().to_owned(),
                        ou: None,
                    });
                }
            }
        }
        accounts.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(accounts)
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
                return Err(malformed(
                    "ListOrganizationalUnitsForParent",
                    "more OUs than an Organization may hold",
                ));
            }
            let mut accounts = self
                .client
                .list_accounts_for_parent()
                .parent_id(&parent)
                .into_paginator()
                .send();
            while let Some(page) = accounts.next().await {
                let page = page.map_err(|err| unreadable("ListAccountsForParent", &err))?;
                for id in page.accounts().iter().filter_map(|a| a.id()) {
                    placed.insert(id.to_owned(), path.clone());
                }
            }
            let mut units = self
                .client
                .list_organizational_units_for_parent()
                .parent_id(&parent)
                .into_paginator()
                .send();
            while let Some(page) = units.next().await {
                let page = page.map_err(|err| unreadable("ListOrganizationalUnitsForParent", &err))?;
                for unit in page.organizational_units() {
                    if let Some(id) = unit.id() {
                        let name = unit.name().unwrap_or(id);
                        parents.push((id.to_owned(), format!("{path}/{name}")));
                    }
                }
            }
        }
        Ok(placed)
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
            Ok(output) => {
                let organization = output.organization();
                Ok((
                    organization.and_then(|o| o.id()).map(str::to_owned),
                    organization
                        .and_then(|o| o.master_account_id())
                        .map(str::to_owned),
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
                Ok(None) => return Observed::Unreadable(malformed("ListParents", "no parent")),
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
        Observed::Unreadable(malformed("ListParents", "no root within eight levels"))
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

    async fn read_attached(
        &self,
        target: &str,
        kind: &PolicyType,
    ) -> Result<Vec<PolicyDocument>, Unreadable> {
        // The paginator follows NextToken even after empty pages, as ListPoliciesForTarget needs.
        let pages: Result<Vec<_>, _> = self
            .client
            .list_policies_for_target()
            .target_id(target)
            .filter(kind.clone())
            .into_paginator()
            .send()
            .collect()
            .await;
        let ids: Vec<String> = match pages {
            Ok(pages) => pages
                .iter()
                .flat_map(|page| page.policies())
                .filter_map(|p| p.id().map(str::to_owned))
                .collect(),
            Err(err) => return Err(unreadable("ListPoliciesForTarget", &err)),
        };
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
                    None => return Err(malformed("DescribePolicy", "no Content")),
                },
                Err(err) => return Err(unreadable("DescribePolicy", &err)),
            }
        }
        Ok(documents)
    }
}

//! Account Management: the regions enabled in an account (opt-in regions only when opted in).

use super::sdk_error::unreadable;
use aws_sdk_account::types::RegionOptStatus;
use delivery_guard_core::snapshot::Unreadable;

/// The Account Management API: the account's enabled Regions.
#[derive(Clone, Debug)]
pub struct AccountReader {
    client: aws_sdk_account::Client,
}

impl AccountReader {
    /// Reads with this client.
    pub fn new(client: aws_sdk_account::Client) -> Self {
        Self { client }
    }

    /// The caller's own account's enabled regions, sorted.
    pub async fn enabled_regions(&self) -> Result<Vec<String>, Unreadable> {
        let mut pages = self
            .client
            .list_regions()
            .region_opt_status_contains(RegionOptStatus::Enabled)
            .region_opt_status_contains(RegionOptStatus::EnabledByDefault)
            .into_paginator()
            .send();
        let mut regions = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|err| unreadable("ListRegions", &err))?;
            regions.extend(
                page.regions()
                    .iter()
                    .filter(|r| {
                        matches!(
                            r.region_opt_status(),
                            Some(RegionOptStatus::Enabled | RegionOptStatus::EnabledByDefault)
                        )
                    })
                    .filter_map(|r| r.region_name().map(str::to_owned)),
            );
        }
        regions.sort();
        regions.dedup();
        Ok(regions)
    }
}

const microAppPage = (
  <EntityLayout>
    <EntityLayout.Route path="/" title="Overview">
      <Grid container spacing={3} alignItems="stretch">
        {entityWarningContent}
        <Grid item md={6} xs={12}>
          <EntityAboutCard />
        </Grid>
        <Grid item md={6} xs={12}>
          <EntityTierCard />
        </Grid>
        <Grid item md={6} xs={12}>
          <EntitySupportCard />
        </Grid>
        <Grid item md={6} xs={12}>
          <EntityCostCard />
        </Grid>
      </Grid>
    </EntityLayout.Route>
    <EntityLayout.Route path="/governance" title="Governance">
      <EntityGovernanceContent />
    </EntityLayout.Route>
  </EntityLayout>
);

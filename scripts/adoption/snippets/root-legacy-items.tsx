<SidebarItem icon={StorefrontIcon} to="marketplace" text="Marketplace" />
<SidebarItem
  icon={AssignmentTurnedInIcon}
  to="marketplace/reviews"
  text="Review queue"
/>
<RequireReportPermission>
  <SidebarItem
    icon={ReceiptIcon}
    to="marketplace/reports/chargeback"
    text="Chargeback"
  />
</RequireReportPermission>

{nav.take('page:marketplace')}
{nav.take('page:marketplace/reviews')}
<RequireReportPermission>
  {nav.take('page:marketplace/chargeback')}
</RequireReportPermission>

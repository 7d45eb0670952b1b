<Route path="/marketplace" element={<MarketplacePage />} />
<Route path="/marketplace/reviews" element={<ReviewQueuePage />} />
<Route
  path="/marketplace/reports/chargeback"
  element={<ChargebackReportPage />}
/>

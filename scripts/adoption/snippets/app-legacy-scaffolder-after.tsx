<Route path="/create" element={<ScaffolderPage />}>
  <ScaffolderFieldExtensions>
    <MicroAppCostCenterPickerFieldExtension />
    <MicroAppClassificationPickerFieldExtension />
    <MicroAppPermissionPickerFieldExtension />
    <MicroAppAudiencePickerFieldExtension />
  </ScaffolderFieldExtensions>
</Route>

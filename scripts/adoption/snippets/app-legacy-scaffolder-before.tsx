<Route path="/create" element={<ScaffolderPage />} />

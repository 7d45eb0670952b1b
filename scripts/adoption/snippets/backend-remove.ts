backend.add(
  import('@backstage/plugin-permission-backend-module-allow-all-policy'),
);

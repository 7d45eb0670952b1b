yarn --cwd packages/backend add \
  @microapps/plugin-marketplace-backend@^0.1.0 \
  @microapps/plugin-catalog-backend-module-marketplace@^0.1.0 \
  @microapps/plugin-permission-backend-module-marketplace@^0.1.0 \
  @microapps/plugin-scaffolder-backend-module-marketplace@^0.1.0

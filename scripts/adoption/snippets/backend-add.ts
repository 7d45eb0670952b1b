// Micro App Marketplace: the MicroApp kind and its policy gates (catalog), the
// marketplace API, its permission policy and its scaffolder actions
backend.add(import('@microapps/plugin-catalog-backend-module-marketplace'));
backend.add(import('@microapps/plugin-marketplace-backend'));
backend.add(import('@microapps/plugin-permission-backend-module-marketplace'));
backend.add(import('@microapps/plugin-scaffolder-backend-module-marketplace'));

yarn --cwd packages/app add @microapps/plugin-marketplace@^0.1.0

yarn --cwd packages/app add @microapps/plugin-marketplace@^0.1.0 @backstage/plugin-scaffolder-react@^2.1.0

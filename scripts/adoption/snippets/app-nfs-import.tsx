import { marketplaceScaffolderFieldsModule } from '@microapps/plugin-marketplace';

export { MicroAppAudiencePicker } from './MicroAppAudiencePicker';
export { MicroAppAudiencePickerSchema } from './schema';
export { validateAudience } from './validation';

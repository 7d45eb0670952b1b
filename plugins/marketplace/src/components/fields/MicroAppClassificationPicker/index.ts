export { MicroAppClassificationPicker } from './MicroAppClassificationPicker';
export { MicroAppClassificationPickerSchema } from './schema';
export { validateClassification } from './validation';

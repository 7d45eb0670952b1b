import { readFile, writeFile } from 'node:fs/promises';
import type { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { Document, parseDocument, stringify } from 'yaml';

/** Where the manifest action writes the app's entity, relative to the workspace. */
export const MANIFEST_FILE = 'catalog-info.yaml';

async function readManifestDocument(
  file: string,
  field: string,
): Promise<Document> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new InputError(
        `${field}: there is no ${file}; marketplace:manifest:write writes it, run that step first`,
      );
    }
    throw e;
  }
  const doc = parseDocument(text);
  if (doc.errors.length) {
    throw new InputError(
      `${field}: ${file} is not valid YAML: ${doc.errors[0].message}`,
    );
  }
  const value = doc.toJS();
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError(`${field}: ${file} does not hold an entity`);
  }
  return doc;
}

/** Reads the entity of a manifest file; `field` is the input that named the file. */
export async function readManifest(
  file: string,
  field: string,
): Promise<Entity> {
  return (await readManifestDocument(file, field)).toJS() as Entity;
}

/** Writes an entity as YAML. */
export async function writeManifest(
  file: string,
  entity: Entity,
): Promise<void> {
  await writeFile(file, stringify(entity, { lineWidth: 0 }), 'utf8');
}

/** Sets annotations in a manifest file, keeping the rest of the file as it is. */
export async function setManifestAnnotations(
  file: string,
  field: string,
  annotations: Record<string, string>,
): Promise<void> {
  const doc = await readManifestDocument(file, field);
  for (const [key, value] of Object.entries(annotations)) {
    doc.setIn(['metadata', 'annotations', key], value);
  }
  await writeFile(file, doc.toString({ lineWidth: 0 }), 'utf8');
}

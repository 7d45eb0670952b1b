import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { spec } from './openapi/generated';

describe('openapi.yaml', () => {
  it('is what the generated router validates against (run `yarn generate` when not)', () => {
    const yaml = parse(
      fs.readFileSync(path.join(__dirname, 'openapi.yaml'), 'utf8'),
    );
    expect(spec).toEqual(yaml);
  });

  it('describes the routes of the design contract', () => {
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/apps',
        '/apps/{namespace}/{name}',
        '/apps/{namespace}/{name}/gates',
      ]),
    );
  });
});

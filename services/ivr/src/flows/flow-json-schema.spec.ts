import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { flowJsonSchema } from './flow-json-schema';

const published = join(__dirname, '..', '..', 'flows', 'flow.schema.json');

describe('the published flow JSON Schema', () => {
  it('is the one the flow schema generates (regenerate with `npm run flow-schema -w @lianluo/ivr`)', () => {
    expect(readFileSync(published, 'utf8')).toBe(flowJsonSchema());
  });

  it('lists every step type for editors to complete', () => {
    const schema = JSON.parse(flowJsonSchema()) as { properties: { steps: { additionalProperties: { oneOf: { properties: { type: { const: string } } }[] } } } };
    const types = schema.properties.steps.additionalProperties.oneOf.map((option) => option.properties.type.const);
    expect(types).toEqual(expect.arrayContaining(['menu', 'collect', 'queue', 'voicemail', 'callback', 'business_hours', 'identify_caller', 'http_lookup']));
  });
});

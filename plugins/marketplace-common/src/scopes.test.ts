import { parseScopeList, scopeMatches } from './scopes';

describe('scope lists', () => {
  it('splits on commas and white space', () => {
    expect(parseScopeList(' a.read, b.*\n c ')).toEqual(['a.read', 'b.*', 'c']);
    expect(parseScopeList(undefined)).toEqual([]);
  });

  it('matches prefixes only at the star', () => {
    expect(scopeMatches(['calendar.*'], 'calendar.events.write')).toBe(true);
    expect(scopeMatches(['calendar.*'], 'calendars.read')).toBe(false);
    expect(scopeMatches(['calendar.*'], 'calendar')).toBe(false);
    expect(scopeMatches(['calendar.read'], 'calendar.readwrite')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { addTag, removeKey, splitMetadata } from '../src/browser/metadata';

describe('metadata patches', () => {
  it('adds a tag under the tag: prefix, trimmed, with an optional colour', () => {
    expect(addTag('  work ')).toEqual({ key: 'tag:work', value: '' });
    expect(addTag('red', ' #f44336 ')).toEqual({ key: 'tag:red', value: '#f44336' });
  });

  it('refuses a blank tag name', () => {
    expect(addTag('')).toBeNull();
    expect(addTag('   ')).toBeNull();
  });

  it('removes a key', () => {
    expect(removeKey('tag:work')).toEqual({ key: 'tag:work', remove: true });
  });

  it('splits tags from other metadata; sys: keys are never editable', () => {
    const s = splitMetadata({ 'tag:b': '', 'tag:a': '#4caf50', 'sys:restore_uri': 'x', 'customize:emoji': '😀', 'exif:model': 'X' });
    expect(s.tags).toEqual([{ name: 'a', color: '#4caf50' }, { name: 'b', color: '' }]);
    expect(s.others).toEqual([
      { key: 'customize:emoji', value: '😀', editable: true },
      { key: 'exif:model', value: 'X', editable: false },
      { key: 'sys:restore_uri', value: 'x', editable: false },
    ]);
    expect(splitMetadata(null)).toEqual({ tags: [], others: [] });
  });
});

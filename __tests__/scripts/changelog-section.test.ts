import { describe, expect, it } from 'vitest';
import { changelogSection } from '../../scripts/changelog-section.js';

const CHANGELOG = `# Changelog

Intro text.

## [Unreleased]

### Fixed

- Something not yet released.

## [1.1.0] - 2026-12-20

### Added

- Rule for Acme tokens.

## [1.0.0] - 2026-12-06

### Added

- First release.

[Unreleased]: https://github.com/key-hygiene/key-hygiene/compare/v1.1.0...HEAD
[1.1.0]: https://github.com/key-hygiene/key-hygiene/compare/v1.0.0...v1.1.0
[1.0.0]: https://github.com/key-hygiene/key-hygiene/releases/tag/v1.0.0
`;

describe('changelogSection', () => {
  it('returns the body of the version the tag names, without its heading or the next section', () => {
    expect(changelogSection(CHANGELOG, 'v1.1.0')).toBe('### Added\n\n- Rule for Acme tokens.');
    expect(changelogSection(CHANGELOG, '1.1.0')).toBe('### Added\n\n- Rule for Acme tokens.');
  });

  it('stops the last section at the link definitions', () => {
    expect(changelogSection(CHANGELOG, 'v1.0.0')).toBe('### Added\n\n- First release.');
  });

  it('does not take a version for its prefix (1.0.0 is not 1.0.00 or 11.0.0)', () => {
    expect(() => changelogSection(CHANGELOG.replace('## [1.0.0]', '## [11.0.0]'), 'v1.0.0')).toThrow('no "## [1.0.0]" section');
  });

  it('fails with one line when the version has no section or an empty one', () => {
    expect(() => changelogSection(CHANGELOG, 'v1.2.0')).toThrow('CHANGELOG.md has no "## [1.2.0]" section');
    expect(() => changelogSection(CHANGELOG.replace('### Added\n\n- First release.\n', ''), 'v1.0.0')).toThrow('section is empty');
  });
});

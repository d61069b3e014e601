import type caseViewZhCN from './case-view.zh-CN.ts';

const caseViewEnUS: typeof caseViewZhCN = {
  gallery: {
    title: 'Photos',
    before: 'Before (as reported)',
    after: 'After (handling and verification)',
    noBefore: 'No photo came with the report',
    noAfter: 'No photo of the handling yet',
    none: 'No photos on this case yet',
  },
  details: {
    toggle: 'Details',
    caseId: 'Case ID',
    categoryCode: 'Category code',
    gridCode: 'Grid code',
    coordinates: 'Longitude, latitude',
    version: 'Version',
  },
  field: {
    back: 'Back',
    facts: 'The case',
    timeline: 'Timeline',
    verify: 'Verify',
    inConsole: 'Handle in the desktop console',
    noActions: 'Nothing for you to do on this case now',
    offline: 'Offline: the last loaded information; photos and the timeline need a network.',
    unavailable: 'This case could not be loaded. Try again with a network.',
    retry: 'Try again',
    sentLater: 'Offline report sent: case {{caseNumber}}',
  },
};

export default caseViewEnUS;

import type deskZhCN from './desk.zh-CN.ts';

const deskEnUS: typeof deskZhCN = {
  title: 'Report desk',
  source: 'Source',
  place: 'Place',
  placeHint: 'Click the place of the problem on the map, or search an address at the top left of the map.',
  proposedGrid: 'Grid: {{grid}} ({{village}})',
  chooseGrid: 'Choose the grid',
  photos: 'Photos',
  callerPrivate:
    'The caller’s details are for calling back: the people working the case see the phone masked.',
  callerName: 'Caller or visitor',
  callerPhone: 'Phone',
};

export default deskEnUS;

import { z } from 'zod';
import { bilingual } from './errors.ts';

/*
 * The basemap under every map: set by an administrator in the console (stored in settings, audited), or, until
 * one is set, the deployment's GRIDGOV_BASEMAP_URL. Pure rules shared by the server (the CSP follows the tile
 * hosts) and the console (the map draws the tiles).
 */

/**
 * 天地图 in Web Mercator (the `_w` services), as the WMTS key-value form MapLibre can fill: the base layer and
 * its annotation layer (cva over vector, cia over imagery). `t{0-7}` are the eight mirror hosts.
 */
const TIANDITU =
  'https://t{0-7}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER={layer}' +
  '&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}';
const TIANDITU_ATTRIBUTION = '天地图 · 国家地理信息公共服务平台';

export const BASEMAP_PRESETS = ['none', 'tiandituVector', 'tiandituImagery', 'xyz', 'wmts'] as const;
export type BasemapPreset = (typeof BASEMAP_PRESETS)[number];

/** The tile layers a map draws, bottom first; null when there is no basemap (the map's own layers only). */
export interface BasemapLayers {
  url: string;
  /** A transparent layer of names drawn over `url` (天地图's annotation), or null. */
  labelUrl: string | null;
  attribution: string | null;
}

const tileTemplate = z
  .string()
  .trim()
  .max(1000)
  .regex(
    /^https?:\/\/[^\s/?#]+[^\s]*$/,
    bilingual('须为 http(s):// 开头的地址', 'must be an http(s):// address'),
  );

export const basemapSettingSchema = z
  .object({
    preset: z.enum(BASEMAP_PRESETS),
    tiandituKey: z
      .string()
      .trim()
      .regex(
        /^[A-Za-z0-9]{16,64}$/,
        bilingual('天地图密钥为 16–64 位字母数字', 'a 天地图 key is 16–64 letters and digits'),
      )
      .optional()
      .describe('The 天地图 key (tk) for the tianditu presets'),
    url: tileTemplate
      .optional()
      .describe(
        'xyz: a template with {z} {x} {y}; wmts: a GetTile URL with {TileMatrix} {TileRow} {TileCol} (or {z} {y} ' +
          '{x}). A host may hold {s} or {0-7} for mirror hosts.',
      ),
    labelUrl: tileTemplate.optional().describe('An optional transparent layer of names over url, same form'),
    attribution: z.string().trim().max(200).optional(),
  })
  .superRefine((value, context) => {
    if (value.preset === 'tiandituVector' || value.preset === 'tiandituImagery') {
      if (!value.tiandituKey)
        context.addIssue({
          code: 'custom',
          path: ['tiandituKey'],
          message: bilingual('请填写天地图密钥', 'give the 天地图 key'),
        });
      return;
    }
    if (value.preset === 'none') return;
    for (const field of ['url', 'labelUrl'] as const) {
      const template = value[field];
      if (field === 'url' && !template) {
        context.addIssue({
          code: 'custom',
          path: [field],
          message: bilingual('请填写瓦片地址', 'give the tile URL'),
        });
        continue;
      }
      if (template && !hasTilePlaceholders(normalizeTemplate(template)))
        context.addIssue({
          code: 'custom',
          path: [field],
          message: bilingual(
            '地址须含 {z} {x} {y}（WMTS 为 {TileMatrix} {TileRow} {TileCol}）',
            'the URL must hold {z} {x} {y} (WMTS: {TileMatrix} {TileRow} {TileCol})',
          ),
        });
    }
  });
export type BasemapSetting = z.infer<typeof basemapSettingSchema>;

/** WMTS placeholders as MapLibre names them: TileMatrix is the zoom, TileRow the y, TileCol the x. */
export function normalizeTemplate(template: string): string {
  return template
    .replace(/\{TileMatrix\}/gi, '{z}')
    .replace(/\{TileRow\}/gi, '{y}')
    .replace(/\{TileCol\}/gi, '{x}');
}

function hasTilePlaceholders(template: string): boolean {
  return ['{z}', '{x}', '{y}'].every((placeholder) => template.includes(placeholder));
}

/** The layers a stored setting draws; null for none. */
export function basemapLayersOf(setting: BasemapSetting): BasemapLayers | null {
  switch (setting.preset) {
    case 'none':
      return null;
    case 'tiandituVector':
    case 'tiandituImagery': {
      const [base, label] = setting.preset === 'tiandituVector' ? ['vec', 'cva'] : ['img', 'cia'];
      const of = (layer: string) =>
        TIANDITU.replaceAll('{layer}', layer).replace('{key}', encodeURIComponent(setting.tiandituKey ?? ''));
      return { url: of(base), labelUrl: of(label), attribution: setting.attribution || TIANDITU_ATTRIBUTION };
    }
    default:
      return {
        url: normalizeTemplate(setting.url ?? ''),
        labelUrl: setting.labelUrl ? normalizeTemplate(setting.labelUrl) : null,
        attribution: setting.attribution || null,
      };
  }
}

/**
 * The tile URLs MapLibre is given for a template: one per mirror host when the host names them (`t{0-7}` gives
 * t0 … t7, `{s}` gives a, b, c), so tiles load from all of them at once; the template itself otherwise.
 */
export function expandTileTemplate(template: string): string[] {
  const range = /\{(\d)-(\d)\}/.exec(template);
  if (range) {
    const [from, to] = [Number(range[1]), Number(range[2])];
    return Array.from({ length: Math.max(to - from + 1, 1) }, (_, i) =>
      template.replace(range[0], String(from + i)),
    );
  }
  if (template.includes('{s}')) return ['a', 'b', 'c'].map((s) => template.replace('{s}', s));
  return [template];
}

export const basemapSettingsSchema = z.object({
  setting: basemapSettingSchema
    .nullable()
    .describe(
      'What an administrator set; null: none set, the deployment default (GRIDGOV_BASEMAP_URL) holds',
    ),
  effective: z
    .object({ url: z.string(), labelUrl: z.string().nullable(), attribution: z.string().nullable() })
    .nullable()
    .describe('The layers every map draws now; null: no basemap'),
  defaultUrl: z.string().nullable().describe('GRIDGOV_BASEMAP_URL, what holds when nothing is set'),
});
export type BasemapSettings = z.infer<typeof basemapSettingsSchema>;

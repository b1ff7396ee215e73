/** How number patterns are written, shown under every pattern field. */
export const patternHelp = 'Exact +12125550187, one digit per ? or X (+1212555????), a prefix ending in * (+1212*), or * for every number.';

export const patternKindLabels: Record<string, string> = { exact: 'Exact', wildcard: 'Wildcard', prefix: 'Prefix' };

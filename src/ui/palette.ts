// Okabe-Ito colours (Okabe & Ito, "Color Universal Design", 2008), which stay
// distinguishable under the common forms of colour blindness. Yellow is left
// out of the run colours because it has too little contrast on white.
export const RUN_COLORS = [
  '#0072B2',
  '#D55E00',
  '#009E73',
  '#CC79A7',
  '#56B4E9',
  '#E69F00',
  '#000000',
] as const;

/** js-yaml, installed with ts-jest (through babel-plugin-istanbul): the one function the network tests read YAML with. */
declare module 'js-yaml' {
  export function load(text: string): unknown;
}

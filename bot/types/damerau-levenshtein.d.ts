declare module 'damerau-levenshtein' {
  function distance(a: string, b: string): { steps: number; relative: number; similarity: number }
  export default distance
}

// An einsum equation (`bhqd,bhkd->bhqk`), explicit or implicit, without ellipses: the letters of
// each operand and of the output. Shared by the shape rule, the op kind and the counting rules.

export interface EinsumEquation {
  operands: string[];
  output: string;
}

/** The equation's parts, or a reason it is not one seprof reads (an ellipsis, a repeated letter in one operand, a letter of no operand in the output). */
export function parseEinsum(equation: string): EinsumEquation | string {
  const text = equation.replace(/\s/g, '');
  if (text.includes('.')) return 'an ellipsis (...)';
  const [lhs = '', rhs] = text.split('->');
  const operands = lhs.split(',');
  if (!operands.every((o) => /^[A-Za-z]*$/.test(o))) return `'${equation}' is not an einsum equation`;
  if (operands.some((o) => new Set(o).size !== o.length)) return 'a letter repeated in one operand (a diagonal)';
  const letters = operands.join('');
  // Implicit: the letters that appear once, in alphabetical order (numpy's and ONNX's rule).
  const output =
    rhs ??
    [...new Set(letters)]
      .filter((c) => letters.indexOf(c) === letters.lastIndexOf(c))
      .sort()
      .join('');
  if (!/^[A-Za-z]*$/.test(output) || [...output].some((c) => !letters.includes(c))) return `output '${output}' has a letter no operand has`;
  return { operands, output };
}

/** Each letter's size from the operands' shapes; undefined when the ranks or a letter's sizes disagree (1 broadcasts). */
export function letterSizes(eq: EinsumEquation, shapes: readonly (readonly number[])[]): Map<string, number> | undefined {
  const sizes = new Map<string, number>();
  for (const [i, operand] of eq.operands.entries()) {
    const shape = shapes[i];
    if (shape === undefined || shape.length !== operand.length) return undefined;
    for (const [axis, letter] of [...operand].entries()) {
      const d = shape[axis] as number;
      const known = sizes.get(letter);
      if (known === undefined || known === 1) sizes.set(letter, d);
      else if (d !== known && d !== 1) return undefined;
    }
  }
  return sizes;
}

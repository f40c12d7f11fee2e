import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

/**
 * The refusal templates written in core/ and backend/: every `fail(CODE, msg)`,
 * `assert(cond, CODE, msg)` and `new KopilkaError(CODE, msg)`. A message is a list of
 * literal text and holes (`${…}` source text); a message that is not built from literals
 * (a variable, a call) is reported as `dynamic` so the sweep can insist on a reason.
 */
export type Part = Readonly<{ text: string } | { hole: string }>;
export type Template = Readonly<{ file: string; line: number; code: string; parts: readonly Part[] }>;
export type Dynamic = Readonly<{ file: string; line: number; code: string; expr: string }>;


function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (p.endsWith('.ts') && !p.endsWith('.test.ts') && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** The text variants an expression can evaluate to, or null if it is not built from literals. */
function variants(e: ts.Expression, sf: ts.SourceFile): Part[][] | null {
  if (ts.isParenthesizedExpression(e)) return variants(e.expression, sf);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return [[{ text: e.text }]];
  if (ts.isTemplateExpression(e)) {
    const parts: Part[] = [{ text: e.head.text }];
    for (const s of e.templateSpans) parts.push({ hole: s.expression.getText(sf) }, { text: s.literal.text });
    return [parts.filter((p) => !('text' in p) || p.text !== '')];
  }
  if (ts.isConditionalExpression(e)) {
    const a = variants(e.whenTrue, sf);
    const b = variants(e.whenFalse, sf);
    return a && b ? [...a, ...b] : null;
  }
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const a = variants(e.left, sf);
    const b = variants(e.right, sf);
    if (!a || !b) return null;
    return a.flatMap((x) => b.map((y) => [...x, ...y]));
  }
  return null;
}

export function scanRefusals(repoRoot: string, roots: readonly string[]): { templates: Template[]; dynamic: Dynamic[] } {
  const templates: Template[] = [];
  const dynamic: Dynamic[] = [];
  for (const root of roots) {
    const full = join(repoRoot, root);
    for (const path of statSync(full).isDirectory() ? sourceFiles(full) : [full]) {
      const file = relative(repoRoot, path);
      const sf = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
      const visit = (n: ts.Node): void => {
        let args: readonly ts.Expression[] | undefined;
        if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'fail') args = n.arguments;
        else if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'assert' && n.arguments.length >= 3) args = n.arguments.slice(1);
        else if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'KopilkaError') args = n.arguments;
        if (args && args.length >= 2) {
          // A code passed on from elsewhere (a server answer, the envelope) is reported as '*'.
          const code = ts.isStringLiteral(args[0]!) ? args[0].text : '*';
          const line = sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
          const v = variants(args[1]!, sf);
          if (v) for (const parts of v) templates.push({ file, line, code, parts });
          else dynamic.push({ file, line, code, expr: args[1]!.getText(sf) });
        }
        ts.forEachChild(n, visit);
      };
      visit(sf);
    }
  }
  return { templates, dynamic };
}

/** Literal messages returned by a named helper (e.g. formatLock) that a refusal passes on. */
export function helperTemplates(repoRoot: string, file: string, fnName: string): Part[][] {
  const sf = ts.createSourceFile(file, readFileSync(join(repoRoot, file), 'utf8'), ts.ScriptTarget.Latest, true);
  const out: Part[][] = [];
  const visit = (n: ts.Node, inside: boolean): void => {
    const here = inside || (ts.isFunctionDeclaration(n) && n.name?.text === fnName);
    if (here && ts.isReturnStatement(n) && n.expression) out.push(...(variants(n.expression, sf) ?? []));
    ts.forEachChild(n, (c) => visit(c, here));
  };
  visit(sf, false);
  return out;
}

export function show(parts: readonly Part[]): string {
  return parts.map((p) => ('text' in p ? p.text : '${' + p.hole + '}')).join('');
}

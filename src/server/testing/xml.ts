import { SaxesParser } from 'saxes';

/** An element of a parsed XML document: its name, its child elements, and its text. */
export interface XmlElement {
  name: string;
  children: XmlElement[];
  text: string;
  declaration: { version?: string | undefined; encoding?: string | undefined } | null;
}

/**
 * Parses an XML document with a conforming XML parser (saxes): a document that is not well-formed throws.
 * Tests read Open311 answers through this, never by matching strings.
 */
export function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser();
  const root: XmlElement = { name: '#document', children: [], text: '', declaration: null };
  const stack: XmlElement[] = [root];
  parser.on('xmldecl', (decl) => {
    root.declaration = { version: decl.version, encoding: decl.encoding };
  });
  parser.on('opentag', (tag) => {
    const element: XmlElement = { name: tag.name, children: [], text: '', declaration: null };
    stack.at(-1)?.children.push(element);
    stack.push(element);
  });
  parser.on('text', (text) => {
    const current = stack.at(-1);
    if (current && current !== root) current.text += text;
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.on('error', (error) => {
    throw error;
  });
  parser.write(xml).close();
  const [element] = root.children;
  if (!element || root.children.length !== 1) throw new Error('not one root element');
  element.declaration = root.declaration;
  return element;
}

/** The child elements of this name. */
export function all(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((c) => c.name === name);
}

/** The text of the one child of this name (undefined when there is none). */
export function field(element: XmlElement, name: string): string | undefined {
  const found = all(element, name);
  if (found.length > 1) throw new Error(`several <${name}> in <${element.name}>`);
  return found[0]?.text;
}

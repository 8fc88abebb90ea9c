import { useEffect, useRef } from 'react';
import syllabusSchema from '../../../schemas/json/syllabus.schema.json';

type Monaco = typeof import('monaco-editor/editor/editor.api');

let monacoReady: Promise<Monaco> | undefined;

/** Monaco loads on first use, with its workers bundled locally (the CSP allows no remote code). */
function loadMonaco(): Promise<Monaco> {
  monacoReady ??= (async () => {
    const [{ default: EditorWorker }, { default: JsonWorker }] = await Promise.all([
      import('monaco-editor/editor/editor.worker?worker'),
      import('monaco-editor/language/json/json.worker?worker'),
    ]);
    self.MonacoEnvironment = { getWorker: (_id: string, label: string) => (label === 'json' ? new JsonWorker() : new EditorWorker()) };
    const monaco = await import('monaco-editor/editor/editor.api');
    const { jsonDefaults } = await import('monaco-editor/languages/features/json/register');
    jsonDefaults.setDiagnosticsOptions({
      validate: true,
      allowComments: false,
      schemas: [{ uri: 'urn:coursewright:schema:syllabus.schema.json', fileMatch: ['syllabus-*.json'], schema: syllabusSchema }],
    });
    return monaco;
  })();
  return monacoReady;
}

export function MonacoJsonEditor({ value, readOnly, fileName, onChange }: { value: string; readOnly: boolean; fileName: string; onChange: (text: string) => void }) {
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<import('monaco-editor/editor/editor.api').editor.IStandaloneCodeEditor | null>(null);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;

  useEffect(() => {
    let disposed = false;
    let cleanup = () => {};
    loadMonaco().then((monaco) => {
      if (disposed || !host.current) return;
      const model = monaco.editor.createModel(value, 'json', monaco.Uri.parse(`inmemory://studio/${fileName}`));
      const editor = monaco.editor.create(host.current, { model, readOnly, automaticLayout: true, minimap: { enabled: false }, fontSize: 13, tabSize: 2, scrollBeyondLastLine: false });
      editorRef.current = editor;
      const subscription = model.onDidChangeContent(() => onChangeRef.current(model.getValue()));
      cleanup = () => {
        subscription.dispose();
        editor.dispose();
        model.dispose();
      };
    });
    return () => {
      disposed = true;
      cleanup();
    };
    // The editor is created once per file; later values arrive through the effect below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fileName]);

  useEffect(() => {
    const editor = editorRef.current;
    if (editor && editor.getValue() !== value) editor.setValue(value);
    editor?.updateOptions({ readOnly });
  }, [value, readOnly]);

  return <div ref={host} className="monaco-host" data-testid="json-editor" aria-label="Syllabus JSON editor" />;
}

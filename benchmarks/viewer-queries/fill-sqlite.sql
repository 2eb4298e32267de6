-- 100,000 traces x 10 spans into a viewer-created (empty) store.
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 999999)
INSERT INTO spans (trace_id, span_id, parent_span_id, name, kind, start_ns, end_ns, status_code, attributes, events, resource, service_name,
    received_ms, usage_source, input_tokens, output_tokens, provider, model, is_error, environment_id, version_hash, version_name)
SELECT printf('%032x', i / 10), printf('%016x', i % 10 + 1), CASE WHEN i % 10 = 0 THEN NULL ELSE printf('%016x', 1) END,
    CASE WHEN i % 10 = 0 THEN 'Shop.Checkout' WHEN i % 2 = 1 THEN 'chat gpt-4o' ELSE 'Tool.Lookup' || ((i / 10) % 50) END,
    1, 1772366400000000000 + (i / 10) * 1000000000 + (i % 10) * 1000000, 1772366400000000000 + (i / 10) * 1000000000 + (i % 10) * 1000000 + 5000000,
    CASE WHEN i % 97 = 0 THEN 2 ELSE 1 END,
    CASE WHEN i % 10 = 0 THEN json_object('mirascope.trace.arg_values', json_object('cart', 'item-' || ((i / 10) % 1000)))
         WHEN i % 2 = 1 THEN json_object('gen_ai.operation.name', 'chat', 'gen_ai.provider.name', 'openai', 'gen_ai.request.model', 'gpt-4o',
              'gen_ai.input.messages', '[{"role":"user","content":"question ' || i || ' about books"}]',
              'gen_ai.output.messages', '[{"role":"assistant","content":"answer ' || i || '"}]',
              'gen_ai.usage.input_tokens', 100, 'gen_ai.usage.output_tokens', 20)
         ELSE json_object('mirascope.trace.output', 'result ' || i) END,
    '[]', '{"service.name":"shop"}', 'shop', 1772366400000 + i / 10,
    CASE WHEN i % 2 = 1 THEN 1 ELSE 0 END, CASE WHEN i % 2 = 1 THEN 100 END, CASE WHEN i % 2 = 1 THEN 20 END,
    CASE WHEN i % 2 = 1 THEN 'openai' END, CASE WHEN i % 2 = 1 THEN 'gpt-4o' END, CASE WHEN i % 97 = 0 THEN 1 ELSE 0 END, '', CASE WHEN i % 10 <> 0 AND i % 2 = 0 THEN 'hash' || ((i / 10) % 50) END, CASE WHEN i % 10 <> 0 AND i % 2 = 0 THEN 'Tool.Lookup' || ((i / 10) % 50) END
FROM n;
INSERT INTO traces (trace_id, root_span_id, root_name, service_name, root_status, start_ns, end_ns, span_count, error_count, session_id, tags,
    input_tokens, output_tokens, last_seq, received_ms, environment_id)
SELECT trace_id, printf('%016x', 1), 'Shop.Checkout', 'shop', 1, MIN(start_ns), MAX(end_ns), COUNT(*), SUM(is_error), NULL, NULL,
    SUM(input_tokens), SUM(output_tokens), MAX(seq), MAX(received_ms), ''
FROM spans GROUP BY trace_id;
COMMIT;

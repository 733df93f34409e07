-- 004: the demo catalogue the README's examples use. ON CONFLICT DO NOTHING so a database that
-- already holds some of these (loaded by hand, say) is left as it is instead of failing.
-- limited-edition has only 3 in stock on purpose: it is the easy way to see an order fail with
-- inventory_unavailable.

INSERT INTO tb_user (identifier) VALUES ('demo')
ON CONFLICT (identifier) DO NOTHING;

INSERT INTO tb_product (identifier, name, price) VALUES
    ('widget', 'Widget', 9.99),
    ('gadget', 'Gadget', 24.50),
    ('gizmo', 'Gizmo', 49.99),
    ('doohickey', 'Doohickey', 5.00),
    ('limited-edition', 'Limited Edition', 199.00)
ON CONFLICT (identifier) DO NOTHING;

INSERT INTO tb_inventory (fk_product, quantity)
SELECT p.pk_product, stock.quantity
FROM (VALUES ('widget', 1000),
             ('gadget', 500),
             ('gizmo', 200),
             ('doohickey', 100),
             ('limited-edition', 3)) AS stock (sku, quantity)
JOIN tb_product p ON p.identifier = stock.sku
ON CONFLICT (fk_product) DO NOTHING;

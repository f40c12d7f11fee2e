import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorText, useApp, usePos } from '../../context';
import { money } from '../../format';

export function ProductGrid() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { sale, app } = usePos();
  const catalog = useApp((s) => s.catalog);
  const lang = useApp((s) => s.lang);
  const [cat, setCat] = useState<string | null>(null);
  const shown = useMemo(() => catalog.products.filter((p) => cat === null || p.category === cat), [catalog, cat]);
  return (
    <section className="products" aria-label={t('catalog.all')}>
      <nav className="categories" role="tablist">
        <button type="button" role="tab" aria-selected={cat === null} onClick={() => setCat(null)}>{t('catalog.all')}</button>
        {catalog.categories.map((c) => (
          <button type="button" role="tab" key={c} aria-selected={cat === c} onClick={() => setCat(c)}>{c}</button>
        ))}
      </nav>
      <div className="grid" data-testid="product-grid">
        {shown.map((p) => (
          <button
            type="button"
            key={p.id}
            className="product"
            data-testid={`product-${p.sku}`}
            onClick={() => sale.getState().addProduct(p).catch((e) => app.getState().notify('error', errorText(e)))}
          >
            <span className="pname">{p.name}</span>
            <span className="price">{money(p.price, lang)}</span>
          </button>
        ))}
      </div>
    </section>
  );
}

import { errorText, type Pos } from './context';

/**
 * A scanned code: a product barcode adds the item (looked up in the catalog already on screen,
 * no round trip), otherwise it is tried as a member card. Unknown codes are said out loud.
 */
export async function handleScan(pos: Pos, code: string, source: string): Promise<void> {
  const { app, sale, api } = pos;
  const at = new Date().toISOString();
  const product = app.getState().catalog.products.find((p) => p.barcodes.includes(code) || p.sku === code);
  if (product) {
    app.getState().logScan({ code, source, at, result: product.name });
    await sale.getState().addProduct(product);
    return;
  }
  try {
    const member = await api['member.identify']({ code });
    if (member) {
      app.getState().logScan({ code, source, at, result: member.name });
      await sale.getState().setMember(member);
      return;
    }
    const byCatalog = await api['catalog.byBarcode']({ code });
    if (byCatalog) {
      app.getState().logScan({ code, source, at, result: byCatalog.name });
      await sale.getState().addProduct(byCatalog);
      return;
    }
    app.getState().logScan({ code, source, at, result: '?' });
    app.getState().notify('error', app.getState().lang === 'ru' ? `Код ${code} не найден ни среди товаров, ни среди карт` : `Code ${code} is neither a product nor a member card`);
  } catch (e) {
    app.getState().logScan({ code, source, at, result: '!' });
    app.getState().notify('error', errorText(e, app.getState().lang));
  }
}

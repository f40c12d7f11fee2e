import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';

/**
 * UI strings in Russian (default) and English. Backend error messages arrive already written
 * for people and are shown as they are; only the UI chrome is translated here.
 */
export const resources = {
  ru: {
    translation: {
      app: { title: 'Копилка', loading: 'Загрузка…', contractMismatch: 'Версия интерфейса не совпадает с приложением' },
      nav: { cashier: 'Касса', manager: 'Управление', lang: 'EN' },
      keys: { camera: 'F6 Камера', find: 'F2 Найти', enrol: 'F3 Новый клиент', redeem: 'F4 Списать баллы', pay: 'F9 Оплата', refund: 'F8 Возврат', manager: 'F10 Управление', clear: 'Esc Очистить' },
      catalog: { all: 'Все', search: 'Поиск товара' },
      cart: { title: 'Чек', empty: 'Отсканируйте товар или выберите его слева', qty: 'Кол-во', remove: 'Убрать', inc: 'Ещё', dec: 'Меньше', subtotal: 'Сумма', discount: 'Скидка', paidByPoints: 'Баллами', toPay: 'К оплате', clear: 'Очистить чек' },
      member: {
        none: 'Клиент не выбран', scanHint: 'Отсканируйте карту или нажмите F2', balance: 'Баланс', points: 'баллов', pending: 'Ожидают начисления', expiring: 'Сгорят {{date}}',
        tier: 'Уровень', toNext: 'До «{{name}}»: {{amount}}', stamps: 'Штампы', detach: 'Отвязать', consentMissing: 'Нет согласия на обработку данных',
      },
      redeem: { title: 'Списание баллов', max: 'Списать максимум', none: 'Не списывать', points: 'Баллов', cap: 'Можно списать до {{max}} баллов', apply: 'Применить' },
      why: { title: 'Почему столько баллов', earn: 'Начислим', bonus: 'Бонусы' },
      pay: {
        title: 'Оплата', cash: 'Наличные', card: 'Карта', mixed: 'Смешанная', tendered: 'Получено наличными', change: 'Сдача', cardPart: 'Картой', cashPart: 'Наличными',
        confirm: 'Провести (Enter)', cancel: 'Отмена (Esc)', short: 'Не хватает {{amount}}', exact: 'Без сдачи',
      },
      receipt: { title: 'Чек №{{number}}', print: 'Печать', close: 'Новый чек (Enter)', earned: 'Начислено', redeemed: 'Списано', balanceAfter: 'Баланс после покупки', change: 'Сдача', refund: 'Возврат по чеку №{{number}}' },
      find: { title: 'Найти клиента', last4: 'Последние 4 цифры телефона', phone: 'Телефон полностью', search: 'Найти (Enter)', noResults: 'Никого не нашли', choose: 'Выберите клиента', notFound: 'Клиент с таким телефоном не найден' },
      enrol: { title: 'Новый клиент', phone: 'Телефон', name: 'Имя', birthday: 'Дата рождения', consent: 'Клиент согласен на обработку персональных данных', marketing: 'Согласен получать предложения', card: 'Номер карты (необязательно)', save: 'Зарегистрировать (Enter)', done: 'Клиент зарегистрирован' },
      refund: { title: 'Возврат', receiptNo: 'Номер чека', load: 'Найти чек', reason: 'Причина', pin: 'PIN менеджера', confirm: 'Оформить возврат', all: 'Весь чек', refundable: 'можно вернуть {{n}}', done: 'Возврат оформлен: {{amount}}', recent: 'Последние чеки', refunded: 'возвращён', partially_refunded: 'возвращён частично' },
      manager: {
        login: 'Вход менеджера', pin: 'PIN', enter: 'Войти (Enter)', logout: 'Выйти', back: 'К кассе',
        tabs: { program: 'Программа лояльности', devices: 'Устройства', members: 'Клиенты', sync: 'Синхронизация' },
      },
      program: {
        title: 'Программа лояльности', version: 'Версия {{v}}', name: 'Название', earnMode: 'Начисление', percent: 'Процент от суммы', perAmount: 'Баллы за каждые N ₽',
        bps: 'Процент кешбэка', pointsPer: 'Баллов', per: 'за каждые (₽)', rounding: 'Округление', minCheck: 'Минимальный чек (₽)', redeemEnabled: 'Разрешить списание',
        pointValue: 'Стоимость балла (₽)', maxShare: 'Можно оплатить баллами до (%)', minBalance: 'Минимальный баланс для списания', save: 'Сохранить новую версию', saved: 'Сохранено: версия {{v}}',
        simulate: 'Предпросмотр', sampleCheck: 'Пример чека (₽)', sampleBalance: 'Баланс клиента', preview: 'Результат', json: 'Остальные правила (JSON)',
      },
      devices: { title: 'Устройства', printer: 'Принтер', scanner: 'Сканер', testPrint: 'Пробная печать', scanLog: 'Журнал сканирования', noScans: 'Отсканируйте что-нибудь — код появится здесь', uri: 'Адрес принтера (пусто — виртуальный)', effective: 'Используется', profile: 'Профиль', autoPrint: 'Печатать чек после каждой продажи', drawer: 'Открывать денежный ящик при оплате наличными', checkStatus: 'Проверять бумагу и крышку перед печатью', saved: 'Настройки принтера сохранены', printed: 'Напечатано', notPrinted: 'Не напечатано: чек ждёт в очереди', queue: 'Чеков в очереди', retry: 'Повторить печать' },
      members: { title: 'Клиенты', search: 'Имя, телефон или карта', edit: 'Изменить', save: 'Сохранить', saved: 'Сохранено', consent: 'Согласие на обработку ПДн', marketing: 'Согласие на рассылки' },
      sync: { title: 'Синхронизация', state: 'Состояние', last: 'Последняя синхронизация', queued: 'В очереди событий', error: 'Ошибка', never: 'ещё не было', server: 'Сервер сети', notRegistered: 'касса не подключена к серверу (работает автономно)', lastPush: 'Последняя отправка', lastPull: 'Последнее получение', acked: 'Подтверждено сервером до №', clock: 'Часы кассы расходятся с сервером на {{s}} с', now: 'Синхронизировать сейчас', done: 'Отправлено {{pushed}}, получено {{pulled}}', register: 'Подключить к серверу', serverUrl: 'Адрес сервера', code: 'Код подключения', name: 'Название кассы', registerButton: 'Подключить' },
      camera: { title: 'Сканирование камерой', hint: 'Поднесите QR-код карты или штрихкод к камере' },
      status: { printer: 'Принтер', scanner: 'Сканер', sync: 'Синхр.', online: 'В сети', offline: 'Офлайн', queued: 'Чеков в очереди: {{n}}', ready: 'готов', busy: 'занят', error: 'ошибка', none: 'нет', idle: 'ок', syncing: 'идёт', disabled: 'выкл.' },
      errors: { generic: 'Что-то пошло не так: {{message}}', amount: 'Введите сумму цифрами, например 500 или 500,50', qty: 'Количество — целое число от 1 до 999' },
    },
  },
  en: {
    translation: {
      app: { title: 'Kopilka', loading: 'Loading…', contractMismatch: 'The screen and the app versions differ' },
      nav: { cashier: 'Till', manager: 'Manager', lang: 'RU' },
      keys: { camera: 'F6 Camera', find: 'F2 Find', enrol: 'F3 New member', redeem: 'F4 Redeem', pay: 'F9 Pay', refund: 'F8 Refund', manager: 'F10 Manager', clear: 'Esc Clear' },
      catalog: { all: 'All', search: 'Find product' },
      cart: { title: 'Check', empty: 'Scan an item or pick it on the left', qty: 'Qty', remove: 'Remove', inc: 'More', dec: 'Less', subtotal: 'Subtotal', discount: 'Discount', paidByPoints: 'Paid with points', toPay: 'To pay', clear: 'Clear check' },
      member: {
        none: 'No member', scanHint: 'Scan the card or press F2', balance: 'Balance', points: 'points', pending: 'Pending', expiring: 'Expire on {{date}}',
        tier: 'Tier', toNext: 'To “{{name}}”: {{amount}}', stamps: 'Stamps', detach: 'Detach', consentMissing: 'No consent to data processing',
      },
      redeem: { title: 'Redeem points', max: 'Redeem maximum', none: 'Do not redeem', points: 'Points', cap: 'Up to {{max}} points can be redeemed', apply: 'Apply' },
      why: { title: 'Why these points', earn: 'Will earn', bonus: 'Bonuses' },
      pay: {
        title: 'Payment', cash: 'Cash', card: 'Card', mixed: 'Mixed', tendered: 'Cash received', change: 'Change', cardPart: 'By card', cashPart: 'In cash',
        confirm: 'Complete (Enter)', cancel: 'Cancel (Esc)', short: '{{amount}} short', exact: 'Exact',
      },
      receipt: { title: 'Receipt #{{number}}', print: 'Print', close: 'Next sale (Enter)', earned: 'Earned', redeemed: 'Redeemed', balanceAfter: 'Balance after purchase', change: 'Change', refund: 'Refund of receipt #{{number}}' },
      find: { title: 'Find member', last4: 'Last 4 digits of the phone', phone: 'Full phone number', search: 'Search (Enter)', noResults: 'Nobody found', choose: 'Pick the member', notFound: 'No member with this phone' },
      enrol: { title: 'New member', phone: 'Phone', name: 'Name', birthday: 'Birthday', consent: 'The customer agrees to personal data processing', marketing: 'Agrees to receive offers', card: 'Card number (optional)', save: 'Enrol (Enter)', done: 'Member enrolled' },
      refund: { title: 'Refund', receiptNo: 'Receipt number', load: 'Find receipt', reason: 'Reason', pin: 'Manager PIN', confirm: 'Refund', all: 'Whole receipt', refundable: '{{n}} refundable', done: 'Refunded: {{amount}}', recent: 'Recent receipts', refunded: 'refunded', partially_refunded: 'partly refunded' },
      manager: {
        login: 'Manager login', pin: 'PIN', enter: 'Log in (Enter)', logout: 'Log out', back: 'Back to till',
        tabs: { program: 'Loyalty program', devices: 'Devices', members: 'Members', sync: 'Sync' },
      },
      program: {
        title: 'Loyalty program', version: 'Version {{v}}', name: 'Name', earnMode: 'Earning', percent: 'Percent of the check', perAmount: 'Points per N ₽',
        bps: 'Cashback percent', pointsPer: 'Points', per: 'for every (₽)', rounding: 'Rounding', minCheck: 'Minimum check (₽)', redeemEnabled: 'Allow redeeming',
        pointValue: 'Point value (₽)', maxShare: 'Payable with points up to (%)', minBalance: 'Minimum balance to redeem', save: 'Save as new version', saved: 'Saved: version {{v}}',
        simulate: 'Preview', sampleCheck: 'Sample check (₽)', sampleBalance: 'Member balance', preview: 'Result', json: 'Other rules (JSON)',
      },
      devices: { title: 'Devices', printer: 'Printer', scanner: 'Scanner', testPrint: 'Test print', scanLog: 'Scan log', noScans: 'Scan something: the code shows up here', uri: 'Printer address (empty = virtual)', effective: 'In use', profile: 'Profile', autoPrint: 'Print a receipt after every sale', drawer: 'Open the cash drawer on cash payments', checkStatus: 'Check paper and cover before printing', saved: 'Printer settings saved', printed: 'Printed', notPrinted: 'Not printed: the receipt waits in the queue', queue: 'Receipts waiting', retry: 'Retry printing' },
      members: { title: 'Members', search: 'Name, phone or card', edit: 'Edit', save: 'Save', saved: 'Saved', consent: 'Consent to data processing', marketing: 'Consent to offers' },
      sync: { title: 'Sync', state: 'State', last: 'Last sync', queued: 'Queued events', error: 'Error', never: 'never', server: 'Chain server', notRegistered: 'this till is not connected to a server (works on its own)', lastPush: 'Last push', lastPull: 'Last pull', acked: 'Acknowledged by the server up to #', clock: 'The till clock is {{s}} s off the server', now: 'Sync now', done: 'Pushed {{pushed}}, pulled {{pulled}}', register: 'Connect to a server', serverUrl: 'Server address', code: 'Registration code', name: 'Till name', registerButton: 'Connect' },
      camera: { title: 'Camera scan', hint: 'Hold the card QR code or a barcode up to the camera' },
      status: { printer: 'Printer', scanner: 'Scanner', sync: 'Sync', online: 'Online', offline: 'Offline', queued: 'Receipts queued: {{n}}', ready: 'ready', busy: 'busy', error: 'error', none: 'none', idle: 'ok', syncing: 'syncing', disabled: 'off' },
      errors: { generic: 'Something went wrong: {{message}}', amount: 'Type the amount in digits, e.g. 500 or 500.50', qty: 'Quantity is a whole number from 1 to 999' },
    },
  },
} as const;

/** A fresh i18next instance per app (tests create several side by side). */
export function createI18n(lang: 'ru' | 'en' = 'ru'): i18n {
  const inst = i18next.createInstance();
  void inst.use(initReactI18next).init({ resources, lng: lang, fallbackLng: 'ru', interpolation: { escapeValue: false }, initAsync: false });
  return inst;
}

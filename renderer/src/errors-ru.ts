import type { ErrorCode } from '../../core/util/errors';

/**
 * Russian text for the refusals the backend and core write in English.
 *
 * Each entry is the English template as the source writes it, with `{name}` where the source
 * has `${…}`, and the Russian sentence that reuses the same holes. The template compiles to an
 * anchored pattern, so the Russian text carries exactly the facts of the English one (card
 * numbers, amounts, dates keep the format they arrived in). `{name|kind}` on the Russian side
 * passes the value through a small dictionary (roles, job states) or, for `msg`, translates a
 * nested message. A message no entry matches is shown in English: never an empty or wrong text.
 *
 * test/i18n/coverage.test.ts fails when a refusal in core/ or backend/ has no entry here.
 * Order matters within a code: put the longer template before a shorter one it extends.
 */
export type Entry = readonly [code: ErrorCode | '*', en: string, ru: string];

export const ENTRIES: readonly Entry[] = [
  // ── members, cards, phones ────────────────────────────────────────────────
  ['NOT_FOUND', 'Card {card} is not registered: enrol the customer or check the card', 'Карта {card} не зарегистрирована: зарегистрируйте клиента или проверьте карту'],
  ['FORBIDDEN', 'Card {card} is blocked: ask the customer for another card or their phone', 'Карта {card} заблокирована: попросите у клиента другую карту или номер телефона'],
  ['VALIDATION', 'Card {card} has a wrong check digit: scan it again or type it carefully', 'У карты {card} неверная контрольная цифра: отсканируйте её ещё раз или введите номер внимательно'],
  ['VALIDATION', 'The card code is empty: scan the card again', 'Код карты пустой: отсканируйте карту ещё раз'],
  ['VALIDATION', 'This QR code is not a Kopilka card: ask the customer to open the card in the app again', 'Этот QR-код — не карта Kopilka: попросите клиента заново открыть карту в приложении'],
  ['VALIDATION', '"{code}" is not a card code (4–48 letters or digits)', '«{code}» — не код карты (нужно от 4 до 48 букв или цифр)'],
  ['VALIDATION', 'makeEan13 needs 11 digits', 'Для номера карты EAN-13 нужно 11 цифр'],
  ['VALIDATION', '"{phone}" is not a phone number. Type it as +7 916 123-45-67 or 8 916 123-45-67', '«{phone}» — не номер телефона. Введите его так: +7 916 123-45-67 или 8 916 123-45-67'],
  ['VALIDATION', '"{phone}" is not a valid phone number. Check the digits (e.g. +7 916 123-45-67)', '«{phone}» — неверный номер телефона. Проверьте цифры (например, +7 916 123-45-67)'],
  ['VALIDATION', 'Type exactly the last 4 digits of the phone, got "{input}"', 'Введите ровно 4 последние цифры телефона, введено «{input}»'],
  ['NOT_FOUND', 'No member with phone {phone}: enrol them or try the card', 'Клиента с телефоном {phone} нет: зарегистрируйте его или попробуйте карту'],
  ['NOT_FOUND', 'No member with id {id}', 'Нет клиента с идентификатором {id}'],
  ['NOT_FOUND', 'No member {id}', 'Нет клиента {id}'],
  ['CONFLICT', 'Phone {phone} belongs to another member', 'Телефон {phone} принадлежит другому клиенту'],
  ['CONFLICT', 'A member with phone {phone} already exists: find them instead', 'Клиент с телефоном {phone} уже есть: найдите его вместо регистрации'],
  ['CONFLICT', 'Card {card} is already issued to another member', 'Карта {card} уже выдана другому клиенту'],
  ['CONFLICT', 'Card {card} is already issued', 'Карта {card} уже выдана'],
  ['VALIDATION', 'The customer must agree to the processing of personal data before enrolment', 'Перед регистрацией клиент должен дать согласие на обработку персональных данных'],
  ['VALIDATION', 'Give the member a phone number or a card (or both)', 'Укажите телефон или карту клиента (или и то, и другое)'],
  ['VALIDATION', 'Birthday {date} is not a real date (YYYY-MM-DD)', 'Дата рождения {date} — несуществующая дата (ГГГГ-ММ-ДД)'],
  ['VALIDATION', 'Identify the member by exactly one of: card, phone', 'Укажите клиента чем-то одним: картой или телефоном'],
  ['VALIDATION', 'Member {field}: {problem}', 'Клиент, поле {field}: {problem}'],
  ['VALIDATION', 'A member cannot refer themselves', 'Клиент не может пригласить сам себя'],
  ['CONFLICT', 'This member already has a referrer', 'У этого клиента уже есть пригласивший'],
  ['VALIDATION', 'Referrals are for new members: this member has already bought something', 'Приглашение — только для новых клиентов: этот клиент уже делал покупки'],

  // ── checkout, cart, payment ───────────────────────────────────────────────
  ['VALIDATION', 'The cart is empty: add at least one item', 'Чек пуст: добавьте хотя бы один товар'],
  ['VALIDATION', 'A sale can have at most {n} lines', 'В чеке может быть не больше {n} строк'],
  ['VALIDATION', 'Line number {n} appears twice', 'Номер строки {n} повторяется'],
  ['VALIDATION', 'Quantity of "{name}" must be a whole number above zero, got {qty}', 'Количество «{name}» должно быть целым числом больше нуля, введено {qty}'],
  ['VALIDATION', 'Quantity {qty} of "{name}" is too large (at most {max}): check the scanner', 'Количество {qty} для «{name}» слишком большое (не больше {max}): проверьте сканер'],
  ['VALIDATION', 'Quantity {qty} of "{name}" is too large (at most {max})', 'Количество {qty} для «{name}» слишком большое (не больше {max})'],
  ['VALIDATION', 'Price of "{name}" must be a whole, non-negative number of minor units', 'Цена «{name}» должна быть целым неотрицательным числом копеек'],
  ['VALIDATION', 'Line "{name}" × {qty} is more than the largest amount allowed', 'Строка «{name}» × {qty} превышает наибольшую допустимую сумму'],
  ['VALIDATION', 'The check total is more than the largest amount allowed', 'Сумма чека превышает наибольшую допустимую'],
  ['VALIDATION', '{what} must be a whole, non-negative number of kopecks, got {n}', '{what|term}: нужно целое неотрицательное число копеек, введено {n}'],
  ['VALIDATION', '{what} must be a whole number of minor units, got {n}', '{what|term}: нужно целое число копеек, получено {n}'],
  ['VALIDATION', 'Cash tendered {cash} is less than {toPay} to pay: take more cash or pay the rest by card (mixed)', 'Получено наличными {cash} — меньше, чем {toPay} к оплате: возьмите больше наличных или оплатите остаток картой (смешанная оплата)'],
  ['VALIDATION', 'Cash part {cash} is more than {toPay} to pay: pay by cash only and give change', 'Наличная часть {cash} больше, чем {toPay} к оплате: оплатите только наличными и выдайте сдачу'],
  ['CONFLICT', 'The check changed: it is now {toPay} ₽, payments add up to {paid} ₽. Check the total and take payment again', 'Чек изменился: теперь к оплате {toPay} ₽, а платежи в сумме {paid} ₽. Проверьте итог и примите оплату заново'],
  ['VALIDATION', 'Cash received ({tendered} ₽) is less than the cash part ({cash} ₽)', 'Получено наличными ({tendered} ₽) меньше наличной части ({cash} ₽)'],
  ['VALIDATION', 'saleId must be a UUID', 'Идентификатор продажи (saleId) должен быть UUID'],
  ['VALIDATION', 'Scan a barcode or type a SKU', 'Отсканируйте штрихкод или введите артикул'],
  ['NOT_FOUND', 'Unknown item "{code}": no product has this SKU or barcode', 'Неизвестный товар «{code}»: нет товара с таким артикулом или штрихкодом'],
  ['NOT_FOUND', '"{name}" is no longer sold (inactive in the catalog)', '«{name}» больше не продаётся (отключён в каталоге)'],
  ['NOT_FOUND', 'No product with id {id}', 'Нет товара с идентификатором {id}'],
  ['CONFLICT', 'Barcode {code} already belongs to {owner}', 'Штрихкод {code} уже принадлежит товару «{owner}»'],
  ['CONFLICT', "Barcode {code} equals another product's SKU", 'Штрихкод {code} совпадает с артикулом другого товара'],
  ['VALIDATION', 'Catalog file: {field}: {problem}', 'Файл каталога, поле {field}: {problem}'],
  ['VALIDATION', 'Product {field}: {problem}', 'Товар, поле {field}: {problem}'],
  ['VALIDATION', 'Product {problem}', 'Товар: {problem}'],

  // ── money ─────────────────────────────────────────────────────────────────
  ['VALIDATION', '"{text}" is not an amount. Use digits, e.g. 150 or 150.50', '«{text}» — не сумма. Введите цифрами, например 150 или 150.50'],
  ['VALIDATION', '"{text}" has more than {n} digits after the point', 'В «{text}» больше {n} знаков после запятой'],
  ['VALIDATION', '{what} {n} is more than the largest amount allowed', '{what|term} {n} — больше наибольшей допустимой суммы'],
  ['VALIDATION', '{text} is more than the largest amount allowed', '{text} — больше наибольшей допустимой суммы'],
  ['VALIDATION', 'mulDiv needs integers and a non-zero divisor ({expr})', 'Внутренняя ошибка расчёта: нужны целые числа и ненулевой делитель ({expr})'],

  // ── redemption, rewards ───────────────────────────────────────────────────
  ['INSUFFICIENT_POINTS', 'The member has {balance} points; cannot redeem {points}', 'У клиента {balance|pts}: списать {points} нельзя'],
  ['INSUFFICIENT_POINTS', '"{reward}" costs {cost} points; the member has {balance} spendable', '«{reward}» стоит {cost|pts}, а у клиента доступно {balance|pts}'],
  ['LIMIT_EXCEEDED', 'Redeeming starts at {min} points; the member has {balance}', 'Списывать баллы можно от {min|pts}, а у клиента {balance|pts}'],
  ['LIMIT_EXCEEDED', 'At most {max} points can pay for this check ({share} of eligible items); asked for {points}', 'По этому чеку можно списать не больше {max|pts} ({share} от суммы подходящих товаров), запрошено {points}'],
  ['VALIDATION', 'Points to redeem must be a whole number ≥ 0, got {points}', 'Баллы к списанию — целое число ≥ 0, введено {points}'],
  ['VALIDATION', 'Identify the member before redeeming points', 'Сначала укажите клиента, потом списывайте баллы'],
  ['VALIDATION', 'Identify the member before giving a reward for points', 'Сначала укажите клиента, потом выдавайте награду за баллы'],
  ['NOT_FOUND', 'There is no reward "{id}" in the current program', 'В текущей программе нет награды «{id}»'],
  ['VALIDATION', '"{reward}" needs a matching item in the cart: add it first', 'Для «{reward}» нужен подходящий товар в чеке: сначала добавьте его'],
  ['VALIDATION', '"{reward}" does not apply to anything in this cart', '«{reward}» не подходит ни к одному товару в этом чеке'],
  ['VALIDATION', 'Unknown redeem request {json}', 'Неизвестный запрос на списание {json}'],
  ['FORBIDDEN', 'This loyalty card is blocked by the chain: sell without the card and ask the manager to check the member', 'Карта лояльности заблокирована сетью: продайте без карты и попросите менеджера проверить клиента'],
  ['INSUFFICIENT_POINTS', 'Points cannot be redeemed without the chain server right now ({reason}). Sell without points or reconnect the till', 'Сейчас баллы нельзя списать без сервера сети ({reason|msg}). Продайте без списания или восстановите связь кассы'],
  ['INSUFFICIENT_POINTS', 'Offline, at most {max} points can be redeemed for this member on this sale (asked {points}). Lower the points or reconnect the till', 'Без связи этому клиенту в этой продаже можно списать не больше {max|pts} (запрошено {points}). Уменьшите баллы или восстановите связь кассы'],
  // Why offline redemption is closed (backend/sync/offline.ts); they arrive inside the refusal above.
  ['*', 'offline', 'нет связи'],
  ['*', 'No chain balance for this member yet: redeem when the till is online', 'У кассы ещё нет баланса этого клиента из сети: списывайте, когда касса будет на связи'],
  ['*', 'This member is blocked by the chain', 'Клиент заблокирован сетью'],
  ['*', 'The chain requires an online check for this member', 'Для этого клиента сеть требует проверки на связи'],
  ['*', 'No offline policy from the chain yet', 'Сеть ещё не прислала правила работы без связи'],
  ['*', "This till's clock differs from the server's: fix the date and time, then sync", 'Часы кассы расходятся с сервером: исправьте дату и время, затем синхронизируйте'],
  ['*', 'The chain balance is too old for offline redemption: reconnect the till', 'Баланс из сети слишком старый для списания без связи: восстановите связь кассы'],
  ['*', '{n} points are still pending (earned recently) and cannot be spent yet', 'Баллы ещё ожидают начисления ({n|pts}, получены недавно) и пока не могут быть потрачены'],
  ['INSUFFICIENT_POINTS', 'The chain server refused the redemption: {inner|msg}', 'Сервер сети отказал в списании: {inner|msg}'],

  // ── promo codes, gift certificates ────────────────────────────────────────
  ['VALIDATION', 'Promo code {code} is valid from {date}', 'Промокод {code} действует с {date}'],
  ['VALIDATION', 'Promo code {code} expired on {date}', 'Срок промокода {code} истёк {date}'],
  ['LIMIT_EXCEEDED', 'Promo code {code} has been used up', 'Промокод {code} уже израсходован'],
  ['VALIDATION', 'Promo code {code} needs a check of at least {amount}', 'Промокод {code} действует при чеке от {amount}'],
  ['VALIDATION', 'Promo code {code} does not apply to anything in this cart', 'Промокод {code} не подходит ни к одному товару в этом чеке'],
  ['VALIDATION', 'Promo code {code} is switched off', 'Промокод {code} отключён'],
  ['VALIDATION', 'Promo code {code} is personal: identify the member first', 'Промокод {code} персональный: сначала укажите клиента'],
  ['NOT_FOUND', 'Unknown promo code {code}: check the spelling', 'Неизвестный промокод {code}: проверьте написание'],
  ['CONFLICT', 'Promo code {code} already exists', 'Промокод {code} уже существует'],
  ['VALIDATION', '"{code}" is not a usable promo code: 3–32 letters, digits, "-" or "_"', '«{code}» не подходит как промокод: нужно 3–32 латинские буквы, цифры, «-» или «_»'],
  ['VALIDATION', 'A promo code needs a positive whole value', 'Размер скидки по промокоду — целое положительное число'],
  ['VALIDATION', 'A percentage promo cannot be above 100%', 'Процентный промокод не может быть больше 100%'],
  ['VALIDATION', '{what|term} must be a whole number ≥ 0', '{what|term}: нужно целое число ≥ 0'],
  ['VALIDATION', 'The promo code would end before it starts', 'Промокод закончится раньше, чем начнёт действовать'],
  ['VALIDATION', 'Gift certificate {code} was entered twice', 'Подарочный сертификат {code} введён дважды'],
  ['VALIDATION', 'Gift certificate {code} expired on {date}', 'Срок подарочного сертификата {code} истёк {date}'],
  ['VALIDATION', 'Gift certificate {code} has nothing left on it', 'На подарочном сертификате {code} ничего не осталось'],
  ['VALIDATION', 'Gift certificate {code} was cancelled', 'Подарочный сертификат {code} аннулирован'],
  ['CONFLICT', 'Gift certificate {code} has {left} left, not {amount}: quote again', 'На подарочном сертификате {code} осталось {left}, а не {amount}: пересчитайте чек'],
  ['NOT_FOUND', 'No gift certificate {code}: check the code on the certificate', 'Подарочного сертификата {code} нет: проверьте код на сертификате'],
  ['CONFLICT', 'Gift certificate {code} already exists', 'Подарочный сертификат {code} уже существует'],
  ['VALIDATION', 'The same gift certificate was entered twice', 'Один и тот же подарочный сертификат введён дважды'],
  ['VALIDATION', 'A gift certificate needs a positive whole amount of kopecks, got {amount}', 'Номинал сертификата — целое положительное число копеек, введено {amount}'],
  ['VALIDATION', '"{code}" is not a usable certificate code: 4–32 letters, digits or dashes', '«{code}» не подходит как код сертификата: нужно 4–32 латинские буквы, цифры или дефисы'],
  ['CONFLICT', 'A gift certificate sold on this sale has already been used: it cannot be returned for money', 'Проданный в этом чеке подарочный сертификат уже использован: вернуть за него деньги нельзя'],

  // ── refunds ───────────────────────────────────────────────────────────────
  ['NOT_FOUND', 'No sale "{text}": check the receipt number', 'Чека «{text}» нет: проверьте номер чека'],
  ['NOT_FOUND', 'No refund {id}', 'Нет возврата {id}'],
  ['VALIDATION', 'A void cancels the whole sale: do not list lines (use a refund for part of a sale)', 'Аннулирование отменяет весь чек: не указывайте строки (для части чека оформите возврат)'],
  ['CONFLICT', 'Sale {no} has already been refunded in full', 'Чек {no} уже полностью возвращён'],
  ['CONFLICT', 'Sale {no} was partly refunded already: refund the remaining lines instead of voiding', 'По чеку {no} уже был частичный возврат: верните оставшиеся строки вместо аннулирования'],
  ['VALIDATION', 'Line number must be a whole number above zero, got {n}', 'Номер строки — целое число больше нуля, введено {n}'],
  ['VALIDATION', 'Line {line} is listed twice: give its total quantity once', 'Строка {line} указана дважды: укажите её общее количество один раз'],
  ['VALIDATION', 'Quantity to refund on line {line} must be a whole number above zero, got {qty}', 'Количество к возврату в строке {line} — целое число больше нуля, введено {qty}'],
  ['VALIDATION', 'Quantity {qty} on line {line} is absurd (at most {max})', 'Количество {qty} в строке {line} нереально (не больше {max})'],
  ['NOT_FOUND', 'Sale {no} has no line {line} (it has {count})', 'В чеке {no} нет строки {line} (всего строк: {count})'],
  ['CONFLICT', 'Line {line} ({name}) was already refunded in full', 'Строка {line} ({name}) уже полностью возвращена'],
  ['LIMIT_EXCEEDED', 'Only {left} of {qty} × {name} on line {line} can still be refunded; asked for {asked}', 'Из {qty} × {name} в строке {line} можно вернуть ещё только {left}, запрошено {asked}'],
  ['VALIDATION', 'refundId must be a UUID', 'Идентификатор возврата (refundId) должен быть UUID'],
  ['VALIDATION', 'A refund cannot be dated before its sale ({at})', 'Возврат не может быть раньше продажи ({at})'],
  ['INSUFFICIENT_POINTS', 'The member already spent the points earned on this sale: the refund would leave {balance} points. Refunds that create a points debt are switched off (setting loyalty.refundDebt = refuse); ask a manager.', 'Клиент уже потратил баллы, начисленные за эту покупку: после возврата на балансе останется {balance|pts}. Возвраты, создающие долг по баллам, отключены (настройка loyalty.refundDebt = refuse); обратитесь к менеджеру.'],

  // ── dates and times ───────────────────────────────────────────────────────
  ['VALIDATION', '"{at}" is not a date-time; use ISO 8601, e.g. 2026-03-10T14:30:00+03:00', '«{at}» — не дата и время; используйте ISO 8601, например 2026-03-10T14:30:00+03:00'],
  ['VALIDATION', '"{at}" is not a date-time. Use ISO 8601, e.g. 2026-03-01T10:15:00+03:00', '«{at}» — не дата и время. Используйте ISO 8601, например 2026-03-01T10:15:00+03:00'],
  ['VALIDATION', '"{at}" is not a date-time; use e.g. 2026-11-25T09:00:00+03:00', '«{at}» — не дата и время; пишите, например, 2026-11-25T09:00:00+03:00'],
  ['VALIDATION', '"{at}" is not a date-time for the program to start', '«{at}» — не дата и время начала программы'],
  ['VALIDATION', '"{at}" is not a date-time', '«{at}» — не дата и время'],
  ['VALIDATION', 'Unknown time zone "{zone}"', 'Неизвестный часовой пояс «{zone}»'],
  ['VALIDATION', 'Business time {at} is outside 2000–2099: check the date', 'Время операции {at} вне 2000–2099 годов: проверьте дату'],
  ['VALIDATION', '"{at}" cannot be used as business time', '«{at}» нельзя использовать как время операции'],

  // ── PIN, staff, sessions ──────────────────────────────────────────────────
  ['UNAUTHENTICATED', 'Wrong PIN. Check it and try again', 'Неверный PIN. Проверьте его и попробуйте ещё раз'],
  ['LOCKED', 'PIN entry is locked after too many wrong PINs. Try again after {time} or ask an owner', 'Ввод PIN заблокирован после нескольких неверных попыток. Попробуйте снова после {time} или обратитесь к владельцу'],
  ['FORBIDDEN', '{name} ({role|role}) may not do this: it needs a {min|roleGen} PIN', '{name} ({role|role}) не может это сделать: нужен PIN {min|roleGen}'],
  ['FORBIDDEN', '{name} ({role|role}) may not do this: ask an owner', '{name} ({role|role}) не может это сделать: обратитесь к владельцу'],
  ['FORBIDDEN', 'A manager PIN is needed here', 'Здесь нужен PIN менеджера'],
  ['UNAUTHENTICATED', 'The manager session has ended: enter the manager PIN again', 'Сеанс менеджера завершён: введите PIN менеджера ещё раз'],
  ['UNAUTHENTICATED', 'This needs a staff PIN: pass --pin 1234 or set KOPILKA_PIN', 'Нужен PIN сотрудника: передайте --pin 1234 или задайте KOPILKA_PIN'],
  ['VALIDATION', 'A PIN is 4 to 8 digits; digits only', 'PIN — от 4 до 8 цифр, только цифры'],
  ['VALIDATION', 'Choose a PIN that is not one digit repeated', 'Выберите PIN, который не состоит из одной повторяющейся цифры'],
  ['NOT_FOUND', 'No staff member with id {id}', 'Нет сотрудника с идентификатором {id}'],
  ['NOT_FOUND', 'No active staff member with that id', 'Нет активного сотрудника с таким идентификатором'],
  ['VALIDATION', 'Staff name must be 1 to 80 characters', 'Имя сотрудника — от 1 до 80 символов'],
  ['VALIDATION', 'Role must be cashier, manager or owner (got "{role}")', 'Роль — кассир (cashier), менеджер (manager) или владелец (owner), указано «{role}»'],
  ['UNAUTHENTICATED', 'Adding staff needs an owner PIN', 'Чтобы добавить сотрудника, нужен PIN владельца'],
  ['VALIDATION', 'The first staff member must be an owner', 'Первый сотрудник должен быть владельцем'],
  ['FORBIDDEN', 'Only an owner can add staff', 'Добавлять сотрудников может только владелец'],
  ['CONFLICT', 'That PIN is already used by another staff member; choose a different one', 'Этот PIN уже у другого сотрудника: выберите другой'],
  ['FORBIDDEN', 'Only an owner can deactivate staff', 'Отключать сотрудников может только владелец'],
  ['VALIDATION', 'You cannot deactivate yourself; ask another owner', 'Нельзя отключить самого себя: попросите другого владельца'],
  ['VALIDATION', 'Give a reason for deactivating this staff member', 'Укажите причину отключения сотрудника'],
  ['INTERNAL', 'withLotFolds must run inside the write transaction', 'Внутренняя ошибка кассы: пересчёт баллов клиента начат вне записи продажи; продажа не записана, повторите её'],
  ['INTERNAL', 'Unknown role {role} stored for staff {id}', 'У сотрудника {id} сохранена неизвестная роль {role}'],

  // ── manual point adjustments, bonuses ─────────────────────────────────────
  ['FORBIDDEN', 'Adjusting points needs a manager PIN', 'Для корректировки баллов нужен PIN менеджера'],
  ['VALIDATION', 'The adjustment must be a whole number of points, not zero (e.g. 50 or -50)', 'Корректировка — целое число баллов, не ноль (например, 50 или -50)'],
  ['VALIDATION', 'An adjustment is at most {n} points', 'Корректировка — не больше {n|pts}'],
  ['VALIDATION', 'Say why the points change (e.g. "compensation for a spilled coffee")', 'Укажите, почему меняются баллы (например, «компенсация за пролитый кофе»)'],
  ['INSUFFICIENT_POINTS', 'The member has only {balance} points; you can remove at most that many', 'У клиента только {balance|pts}: списать можно не больше'],
  ['NOT_FOUND', 'The program has no action "{id}"; known: {list}', 'В программе нет действия «{id}»; есть: {list}'],
  ['LIMIT_EXCEEDED', '"{name}" was already rewarded {used} time(s) in the last {days} days (limit {max})', 'За «{name}» уже начисляли {used} раз(а) за последние {days} дн. (лимит {max})'],
  ['VALIDATION', 'A point movement must be a whole number, got {n}', 'Движение баллов — целое число, получено {n}'],

  // ── shifts and cash ───────────────────────────────────────────────────────
  ['CONFLICT', 'No shift is open. Open a shift (with the cash float) before selling', 'Смена не открыта. Откройте смену (с размером размена) перед продажей'],
  ['CONFLICT', 'Shift №{n} is already open; close it first', 'Смена №{n} уже открыта: сначала закройте её'],
  ['VALIDATION', 'The cash float must be between 0 and 10 000 000 ₽', 'Размен в кассе — от 0 до 10 000 000 ₽'],
  ['VALIDATION', 'The amount must be more than 0 and at most 10 000 000 ₽', 'Сумма — больше 0 и не больше 10 000 000 ₽'],
  ['VALIDATION', 'Say why the cash goes in or out (e.g. "change from the bank", "paid the courier")', 'Укажите, зачем вносятся или изымаются наличные (например, «размен из банка», «оплата курьеру»)'],
  ['VALIDATION', 'Keep the reason under {n} characters', 'Причина — не длиннее {n} символов'],
  ['VALIDATION', 'The drawer should hold only {amount}; you cannot take out more than that', 'В ящике должно быть только {amount}: изъять больше нельзя'],
  ['VALIDATION', 'Counted cash must be between 0 and 10 000 000 ₽', 'Пересчитанные наличные — от 0 до 10 000 000 ₽'],
  ['VALIDATION', 'Keep the closing note under {n} characters', 'Комментарий при закрытии — не длиннее {n} символов'],
  ['VALIDATION', 'The closing time is before the shift was opened', 'Время закрытия раньше открытия смены'],
  ['NOT_FOUND', 'No Z report for shift {n}: the shift is still open or does not exist', 'Z-отчёта по смене {n} нет: смена ещё открыта или не существует'],
  ['NOT_FOUND', 'No shift has been closed yet', 'Ещё ни одна смена не закрыта'],
  ['NOT_FOUND', 'No shift {n}', 'Нет смены {n}'],

  // ── reports ───────────────────────────────────────────────────────────────
  ['VALIDATION', 'Give the period as dates like 2026-11-01', 'Укажите период датами, например 2026-11-01'],
  ['VALIDATION', 'That date does not exist', 'Такой даты не существует'],
  ['VALIDATION', 'The period ends before it starts', 'Период заканчивается раньше, чем начинается'],
  ['VALIDATION', 'The period is longer than ten years', 'Период длиннее десяти лет'],
  ['VALIDATION', 'Give --from and --to as dates, e.g. 2026-03-01', 'Укажите --from и --to датами, например 2026-03-01'],
  ['VALIDATION', '--from must not be after --to', '--from не может быть позже --to'],

  // ── privacy ───────────────────────────────────────────────────────────────
  ['CONFLICT', 'This member was erased; enrol them again instead', 'Данные этого клиента удалены: зарегистрируйте его заново'],
  ['CONFLICT', 'This member has already been erased', 'Данные этого клиента уже удалены'],
  ['FORBIDDEN', 'Exporting a member’s data needs an owner PIN', 'Для выгрузки данных клиента нужен PIN владельца'],
  ['FORBIDDEN', 'Erasing a member needs an owner PIN', 'Для удаления данных клиента нужен PIN владельца'],
  ['VALIDATION', 'Give the reason for erasure (e.g. "member’s request of 25.11.2026")', 'Укажите причину удаления (например, «заявление клиента от 25.11.2026»)'],

  // ── program, settings ─────────────────────────────────────────────────────
  ['NOT_FOUND', 'Program version {v} is not stored on this terminal', 'Версия программы {v} не сохранена на этой кассе'],
  ['NOT_FOUND', 'No setting named {key}. Known: {list}', 'Нет настройки {key}. Есть: {list}'],
  ['NOT_FOUND', 'No setting named {key}', 'Нет настройки {key}'],
  ['VALIDATION', 'Setting {key}: {problem}', 'Настройка {key}: {problem}'],

  // ── printer and scanner ───────────────────────────────────────────────────
  ['NOT_FOUND', 'No print job {id}', 'Нет задания печати {id}'],
  ['CONFLICT', 'Print job {id} is already {state|jobState}; only waiting jobs can be cancelled', 'Задание печати {id} уже {state|jobState}: отменить можно только ожидающие задания'],
  ['NOT_FOUND', 'There is no receipt to reprint yet', 'Пока нет чека для повторной печати'],
  ['VALIDATION', 'Only serial: and hid: scanners are read by the backend; keyboard and camera scanners work in the till screen', 'Приложение само читает только сканеры serial: и hid:; сканеры-клавиатуры и камера работают в окне кассы'],
  ['DEVICE', 'The scanner {key} could not start: {why}', 'Сканер {key} не запустился: {why}'],
  ['DEVICE', 'The receipt printer is out of paper. Load a new roll; the receipt will print by itself.', 'В принтере чеков закончилась бумага. Вставьте новый рулон — чек напечатается сам.'],
  ['DEVICE', 'The receipt printer cover is open. Close it; the receipt will print by itself.', 'Открыта крышка принтера чеков. Закройте её — чек напечатается сам.'],
  ['DEVICE', 'The receipt printer is off or not connected. Check power and cable; the receipt will print when it is back.', 'Принтер чеков выключен или не подключён. Проверьте питание и кабель — чек напечатается, когда принтер вернётся.'],
  ['DEVICE', 'The receipt printer reports an error (cutter jam or overheating). Switch it off and on; the receipt will print when it recovers.', 'Принтер чеков сообщает об ошибке (заело отрезчик или перегрев). Выключите и включите его — чек напечатается, когда он восстановится.'],
  ['DEVICE', 'The printer did not accept the receipt', 'Принтер не принял чек'],
  ['DEVICE', 'The receipt printer "{printer}" cannot print: {why}. The receipt waits in the print queue.', 'Принтер чеков «{printer}» не может печатать: {why|msg}. Чек ждёт в очереди печати.'],
  ['DEVICE', 'This printer connection is one-way: status is not available', 'Связь с этим принтером односторонняя: его состояние недоступно'],
  ['DEVICE', 'Status is not available through the Windows spooler', 'Через очередь печати Windows состояние принтера недоступно'],
  ['DEVICE', 'Status is not available through the OS print queue', 'Через очередь печати системы состояние принтера недоступно'],
  ['DEVICE', 'The "lp" command is missing: install CUPS (apt-get install cups-client)', 'Нет команды «lp»: установите CUPS (apt-get install cups-client)'],
  ['DEVICE', 'PowerShell (powershell.exe) is missing: it is needed to print through the Windows spooler', 'Нет PowerShell (powershell.exe): он нужен для печати через очередь Windows'],
  ['VALIDATION', 'Device address "{uri}" is not valid: {why}. Examples: tcp://192.168.1.50:9100, serial:/dev/ttyUSB0?baud=38400, usb:/dev/usb/lp0, queue:RECEIPT, virtual:/tmp/prints, hid:0c2e:0b61', 'Адрес устройства «{uri}» неверен: {why}. Примеры: tcp://192.168.1.50:9100, serial:/dev/ttyUSB0?baud=38400, usb:/dev/usb/lp0, queue:RECEIPT, virtual:/tmp/prints, hid:0c2e:0b61'],
  ['VALIDATION', 'Unknown printer profile "{name}". Choose one of: {list}', 'Неизвестный профиль принтера «{name}». Выберите один из: {list}'],
  ['VALIDATION', '{uri} is a scanner address, not a printer', '{uri} — адрес сканера, а не принтера'],
  ['VALIDATION', '{uri} is a printer address; scanners use serial:, hid:VID:PID or stdin:', '{uri} — адрес принтера; для сканеров используйте serial:, hid:VID:PID или stdin:'],
  ['VALIDATION', '"{name}" is not a CUPS queue name: CUPS names hold only letters, digits, _ . @ - (see lpstat -e)', '«{name}» — не имя очереди CUPS: в именах CUPS только латинские буквы, цифры, _ . @ - (см. lpstat -e)'],
  ['VALIDATION', '"{name}" is not a Windows printer name. Use the name shown in Settings → Printers & scanners, e.g. queue:EPSON_TM-T20III', '«{name}» — не имя принтера Windows. Укажите имя из «Параметры → Принтеры и сканеры», например queue:EPSON_TM-T20III'],
  ['DEVICE', 'No USB scanner {id} is connected. Plug it in, or check the vendor:product id with "kopilka scan --list"', 'USB-сканер {id} не подключён. Подключите его или проверьте vendor:product id командой «kopilka scan --list»'],
  ['DEVICE', 'Scanner {id} is in keyboard mode. Scan the "USB HID POS" programming barcode from its manual, or use it as a keyboard scanner', 'Сканер {id} в режиме клавиатуры. Отсканируйте программирующий штрихкод «USB HID POS» из его инструкции или используйте его как сканер-клавиатуру'],
  ['DEVICE', 'Scanner {id} could not be opened ({why}). On Linux add a udev rule: KERNEL=="hidraw*", ATTRS{idVendor}=="{vid}", MODE="0660", GROUP="plugdev"', 'Не удалось открыть сканер {id} ({why}). В Linux добавьте правило udev: KERNEL=="hidraw*", ATTRS{idVendor}=="{vid}", MODE="0660", GROUP="plugdev"'],
  ['DEVICE', 'The scanner port {path} could not be opened: {why}. Check the cable and that this user may use serial ports (group "dialout")', 'Не удалось открыть порт сканера {path}: {why}. Проверьте кабель и что этому пользователю разрешены последовательные порты (группа «dialout»)'],
  ['INTERNAL', 'ByteReader: only one read at a time', 'Внутренняя ошибка: устройство читается одновременно дважды'],

  // ── sync with the chain server ────────────────────────────────────────────
  ['FORBIDDEN', 'This till follows the loyalty program of the chain ({shop}, {url}): change the rules on the chain server; the till picks them up at the next sync', 'Касса работает по программе лояльности сети ({shop}, {url}): меняйте правила на сервере сети, касса получит их при следующей синхронизации'],
  ['CONFLICT', 'This till is already registered with {url} (shop {shop})', 'Касса уже подключена к {url} (магазин {shop})'],
  ['VALIDATION', 'The server address must be a URL such as https://kopilka.example.com', 'Адрес сервера — это URL, например https://kopilka.example.com'],
  ['OFFLINE', 'Cannot reach the chain server at {url}: check the address and the network, then try again', 'Нет связи с сервером сети {url}: проверьте адрес и сеть, затем попробуйте ещё раз'],
  ['INTERNAL', 'Sync refused: {inner|msg}', 'Синхронизация отклонена: {inner|msg}'],
  ['INTERNAL', 'Pull refused: {inner|msg}', 'Получение данных отклонено: {inner|msg}'],
  ['CONFLICT', "The server's copy of this till's ledger differs at seq {seq}: sync stopped, call support", 'Копия журнала этой кассы на сервере расходится на записи № {seq}: синхронизация остановлена, позвоните в поддержку'],
  ['LOCKED', 'The server quarantined this till ({status} at seq {seq}): sales continue, sync needs the manager', 'Сервер поместил кассу в карантин ({status} на записи № {seq}): продажи продолжаются, для синхронизации нужен менеджер'],
  ['INTERNAL', 'The server acknowledged up to {acked} of {to}', 'Сервер подтвердил записи до № {acked} из {to}'],
  ['NOT_FOUND', 'This till is not registered with a chain server: run `kopilka terminal register --server URL --code CODE`', 'Касса не подключена к серверу сети: выполните `kopilka terminal register --server URL --code CODE`'],
  ['OFFLINE', 'This till is not connected to a chain server', 'Касса не подключена к серверу сети'],
  ['OFFLINE', 'The till backend is not answering: check that it is running', 'Программа кассы не отвечает: проверьте, что она запущена'],

  // ── the chain server's own refusals (server/), passed on by the till: inside "Sync refused: …",
  //    "The chain server refused the redemption: …", or as the answer to registering a till ──
  ['UNAUTHENTICATED', 'This registration code is unknown, used or expired: ask the manager for a new one', 'Код подключения неизвестен, уже использован или просрочен: попросите у менеджера новый'],
  ['CONFLICT', 'This till is already registered; a restored or cloned till needs a new identity', 'Эта касса уже подключена; восстановленной или скопированной кассе нужен новый идентификатор'],
  ['UNAUTHENTICATED', 'This till is not registered with the server: run `kopilka terminal register`', 'Касса не подключена к серверу: выполните `kopilka terminal register`'],
  ['UNAUTHENTICATED', 'The till credential was refused: register the till again', 'Сервер не принял ключ кассы: подключите кассу заново'],
  ['UNAUTHENTICATED', 'This till has been revoked by the manager', 'Менеджер отключил эту кассу от сети'],
  ['VALIDATION', 'The terminal id is not a UUID', 'Идентификатор кассы — не UUID'],
  ['VALIDATION', 'code and terminalId are required', 'Нужны код подключения и идентификатор кассы'],
  ['FORBIDDEN', 'A till may only act as itself', 'Касса может действовать только от своего имени'],
  ['VALIDATION', 'holdId is required', 'Нет номера резерва баллов'],
  ['VALIDATION', 'Hold a positive whole number of points', 'Зарезервировать можно только целое положительное число баллов'],
  ['CONFLICT', 'This hold id was used for another hold', 'Этот номер резерва уже занят другим резервом'],
  ['NOT_FOUND', 'This member is not known to the chain server yet', 'Сервер сети ещё не знает этого клиента'],
  ['FORBIDDEN', 'This member is blocked: points cannot be spent', 'Клиент заблокирован: баллы тратить нельзя'],
  ['INSUFFICIENT_POINTS', 'Only {available} points are available right now ({pending} more are still pending)', 'Сейчас доступно только {available|pts} (ещё {pending|pts} ожидают начисления)'],
  ['INSUFFICIENT_POINTS', 'Only {available} points are available right now', 'Сейчас доступно только {available|pts}'],
  ['NOT_FOUND', 'No such hold', 'Такого резерва баллов нет'],
  ['FORBIDDEN', 'Only the till that placed a hold can release it', 'Снять резерв может только касса, которая его поставила'],
  ['VALIDATION', 'The sync cursor is not valid: the till should start over with an empty cursor', 'Позиция синхронизации неверна: касса должна начать получение данных с начала'],
  ['VALIDATION', 'The program is not valid: {detail}', 'Программа лояльности неверна: {detail}'],
  ['VALIDATION', 'Idempotency-Key must equal the batch id', 'Ключ идемпотентности должен совпадать с номером пакета'],
  // What the server says of a malformed batch: a fault in the till's software, not in anything the
  // cashier did; shown to the manager in the sync status so support can be called with the words.
  ['VALIDATION', 'The batch is not a JSON object', 'Пакет синхронизации — не объект JSON'],
  ['VALIDATION', 'batchId must be a string of 8–64 characters', 'Номер пакета (batchId) — строка из 8–64 символов'],
  ['VALIDATION', 'A batch needs at least one event', 'В пакете должна быть хотя бы одна запись'],
  ['LIMIT_EXCEEDED', 'A batch carries at most {max} events', 'В пакете может быть не больше {max} записей'],
  ['VALIDATION', 'clientTime is required', 'Нет времени кассы (clientTime)'],
  ['VALIDATION', 'Every event must be an object', 'Каждая запись должна быть объектом'],
  ['VALIDATION', 'Event id must be a UUID', 'Идентификатор записи должен быть UUID'],
  ['FORBIDDEN', 'A till may only upload its own events', 'Касса может отправлять только свои записи'],
  ['VALIDATION', 'Event {id}: seq must be a positive integer', 'Запись {id}: номер (seq) — целое положительное число'],
  ['VALIDATION', 'Event {id}: unknown kind {kind}', 'Запись {id}: неизвестный вид {kind}'],
  ['VALIDATION', 'Event {id}: delta must be an integer', 'Запись {id}: изменение баллов (delta) — целое число'],
  ['VALIDATION', 'Event {id}: memberId must be a string or null', 'Запись {id}: клиент (memberId) — строка или null'],
  ['VALIDATION', 'Event {id}: occurredAt, prevHash and hash are required', 'Запись {id}: нужны время (occurredAt), prevHash и hash'],
  ['VALIDATION', 'Event {id}: payload must be an object', 'Запись {id}: содержимое (payload) должно быть объектом'],
  ['VALIDATION', 'Event {id}: programVersion must be an integer or null', 'Запись {id}: версия программы (programVersion) — целое число или null'],
  ['VALIDATION', 'Events must contain integers only (no fractional numbers)', 'В записях допустимы только целые числа (без дробей)'],
  ['UNAUTHENTICATED', 'Unknown terminal', 'Неизвестная касса'],
  ['INTERNAL', 'The server failed; the till will retry', 'Сбой на сервере; касса повторит попытку'],
  ['LIMIT_EXCEEDED', 'Too many requests: slow down', 'Слишком много запросов: касса повторит позже'],

  // ── the in-memory backend (renderer/src/api/memory.ts, demos and component tests) ──
  ['CONFLICT', 'A member with phone {phone} already exists: look them up instead', 'Клиент с телефоном {phone} уже есть: найдите его вместо регистрации'],
  ['CONFLICT', 'Card {card} already belongs to another member', 'Карта {card} уже принадлежит другому клиенту'],
  ['NOT_FOUND', 'No such member: look them up again', 'Такого клиента нет: найдите его заново'],
  ['NOT_FOUND', 'No such product ({id}): reload the catalog', 'Такого товара нет ({id}): перезагрузите каталог'],
  ['UNAUTHENTICATED', 'The manager session has ended: enter the PIN again', 'Сеанс менеджера завершён: введите PIN ещё раз'],
  ['FORBIDDEN', 'This PIN belongs to a cashier: a manager must log in', 'Это PIN кассира: войти должен менеджер'],
  ['CONFLICT', 'The check changed: it is now {toPay} ₽, payments add up to {paid} ₽', 'Чек изменился: теперь к оплате {toPay} ₽, а платежи в сумме {paid} ₽'],
  ['VALIDATION', 'Cash handed over ({tendered} ₽) is less than the cash part ({cash} ₽)', 'Получено наличными ({tendered} ₽) меньше наличной части ({cash} ₽)'],
  ['NOT_FOUND', 'No sale with number {no} on this terminal', 'На этой кассе нет чека с номером {no}'],
  ['NOT_FOUND', 'No such sale', 'Такого чека нет'],
  ['FORBIDDEN', 'A refund needs a manager PIN', 'Для возврата нужен PIN менеджера'],
  ['CONFLICT', 'This sale is already fully refunded', 'Этот чек уже полностью возвращён'],
  ['NOT_FOUND', 'Line {line} is not on this sale', 'В этом чеке нет строки {line}'],
  ['VALIDATION', 'Only {left} of "{name}" can still be refunded', 'Из «{name}» можно вернуть ещё только {left}'],
  ['NOT_FOUND', '{name} is not available in the in-memory backend', 'Функция {name} недоступна в демонстрационном режиме'],

  // ── input checks of the contract (core/contract zod schemas; shown as "field: message") ──
  ['VALIDATION', 'Choose how the customer pays', 'Выберите способ оплаты'],
  ['VALIDATION', 'Enter an amount above zero', 'Введите сумму больше нуля'],
  ['VALIDATION', 'Enter exactly 4 digits', 'Введите ровно 4 цифры'],
  ['VALIDATION', 'Enter the code the manager got from the server', 'Введите код, который менеджер получил на сервере'],
  ['VALIDATION', 'Enter the name', 'Введите имя'],
  ['VALIDATION', 'Enter the phone number', 'Введите номер телефона'],
  ['VALIDATION', 'Enter the receipt number', 'Введите номер чека'],
  ['VALIDATION', 'Enter the server address, e.g. https://kopilka.example.com', 'Введите адрес сервера, например https://kopilka.example.com'],
  ['VALIDATION', 'Points cannot be negative', 'Баллы не могут быть отрицательными'],
  ['VALIDATION', 'Points must be a whole number', 'Баллы — целое число'],
  ['VALIDATION', 'Quantity is at most 999', 'Количество — не больше 999'],
  ['VALIDATION', 'Quantity must be a whole number', 'Количество — целое число'],
  ['VALIDATION', 'Quantity must be at least 1', 'Количество — не меньше 1'],
  ['VALIDATION', 'Say why the sale is refunded', 'Укажите причину возврата'],
  ['VALIDATION', 'Say why', 'Укажите причину'],
  ['VALIDATION', 'Scan a card or enter a code', 'Отсканируйте карту или введите код'],
  ['VALIDATION', 'Scan or type a barcode', 'Отсканируйте или введите штрихкод'],
  ['VALIDATION', 'The PIN is 4 to 8 digits', 'PIN — от 4 до 8 цифр'],
  ['VALIDATION', 'The manager PIN is 4 to 8 digits', 'PIN менеджера — от 4 до 8 цифр'],
  ['VALIDATION', 'Use a date like {example}', 'Укажите дату в виде {example}'],

  // zod's own wording, for checks without a message of ours
  ['VALIDATION', 'Invalid input: expected {a}, received {b}', 'Неверное значение: ожидалось {a}, получено {b}'],
  ['VALIDATION', 'Invalid UUID', 'Неверный UUID'],
  ['VALIDATION', 'Too small: expected string to have {bound} characters', 'Слишком коротко: символов должно быть {bound|bound}'],
  ['VALIDATION', 'Too big: expected string to have {bound} characters', 'Слишком длинно: символов должно быть {bound|bound}'],
  ['VALIDATION', 'Too small: expected array to have {bound} items', 'Слишком мало: элементов должно быть {bound|bound}'],
  ['VALIDATION', 'Too big: expected array to have {bound} items', 'Слишком много: элементов должно быть {bound|bound}'],
  ['VALIDATION', 'Too small: expected number to be {bound}', 'Слишком мало: число должно быть {bound|bound}'],
  ['VALIDATION', 'Too big: expected number to be {bound}', 'Слишком много: число должно быть {bound|bound}'],
  ['VALIDATION', 'Invalid option: expected one of {list}', 'Недопустимое значение: возможны {list}'],

  // ── internal (developer) messages: still readable, details stay as written ─
  ['INTERNAL', 'Internal error: {detail}', 'Внутренняя ошибка: {detail}'],
  ['INTERNAL', 'The app shell speaks contract {a}, the screen {b}: reinstall the app', 'Оболочка приложения использует контракт {a}, а экран — {b}: переустановите приложение'],
  ['INTERNAL', '{what} must run inside the sale\'s IMMEDIATE transaction', 'Внутренняя ошибка: {what} должна выполняться в транзакции продажи'],
  ['INTERNAL', 'appendEvents must run inside the transaction that records the business fact', 'Внутренняя ошибка: запись в журнал баллов вне транзакции операции'],
  ['INTERNAL', 'saveMemberLots must run inside the transaction that wrote the events', 'Внутренняя ошибка: сохранение партий баллов вне транзакции событий'],
  ['INTERNAL', 'Unknown ledger event kind {kind}', 'Внутренняя ошибка: неизвестный вид записи журнала {kind}'],
  ['INTERNAL', 'Migration file {f} does not export `migration`', 'Внутренняя ошибка: файл миграции {f} не экспортирует `migration`'],
  ['INTERNAL', 'Migration file {f} declares version {v}', 'Внутренняя ошибка: файл миграции {f} объявляет версию {v}'],
  ['INTERNAL', 'Two migrations share version {v}', 'Внутренняя ошибка: у двух миграций одна версия {v}'],
  ['NOT_FOUND', 'Unknown channel "{name}"', 'Внутренняя ошибка: неизвестный канал «{name}»'],
];

/** English words a hole may carry that have a Russian equivalent; anything else is kept as is. */
const WORDS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  role: { cashier: 'кассир', manager: 'менеджер', owner: 'владелец' },
  roleGen: { cashier: 'кассира', manager: 'менеджера', owner: 'владельца' },
  jobState: { queued: 'в очереди', waiting: 'ожидает', printing: 'печатается', printed: 'напечатано', done: 'выполнено', failed: 'с ошибкой', cancelled: 'отменено' },
  term: {
    'max uses': 'Число использований', 'uses per member': 'Использований на клиента', 'minimum check': 'Минимальный чек',
    'Cash part': 'Наличная часть', 'Cash tendered': 'Получено наличными', Amount: 'Сумма', amount: 'Сумма', 'Counted cash': 'Пересчитанные наличные', 'Cash float': 'Размен',
  },
};

/** "1 балл", "3 балла", "25 баллов": the number as it arrived, the word agreeing with it. */
function pointsRu(v: string): string {
  if (!/^-?\d+$/.test(v)) return `${v} баллов`;
  const n = Math.abs(Number(v));
  const form = n % 10 === 1 && n % 100 !== 11 ? 'балл' : n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14) ? 'балла' : 'баллов';
  return `${v} ${form}`;
}

/** zod's bounds (">=2", "<=200", ">0") in words. */
function boundRu(v: string): string {
  const m = /^(>=|<=|>|<)(.+)$/.exec(v);
  if (!m) return v;
  const words = { '>=': 'не меньше', '<=': 'не больше', '>': 'больше', '<': 'меньше' } as const;
  return `${words[m[1] as keyof typeof words]} ${m[2]}`;
}

type Compiled = Readonly<{ code: ErrorCode | '*'; re: RegExp; names: readonly string[]; ru: string }>;

const HOLE = /\{([a-zA-Z]+)(?:\|[a-zA-Z]+)?\}/g;
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function compile([code, en, ru]: Entry): Compiled {
  const names: string[] = [];
  let src = '';
  let last = 0;
  for (const m of en.matchAll(HOLE)) {
    src += escapeRe(en.slice(last, m.index)) + '([\\s\\S]+?)';
    names.push(m[1]!);
    last = m.index! + m[0].length;
  }
  src += escapeRe(en.slice(last));
  return { code, re: new RegExp('^' + src + '$'), names, ru };
}

const COMPILED: readonly Compiled[] = ENTRIES.map(compile);

/** The Russian entry for this message, or null. Exported for the coverage sweep. */
export function matchRu(message: string, code?: string): Compiled | null {
  const sameCode = COMPILED.find((c) => (c.code === code || c.code === '*') && c.re.test(message));
  // A code re-labelled on the way (sync passes server errors on under another code) still finds its text.
  return sameCode ?? COMPILED.find((c) => c.re.test(message)) ?? null;
}

/** Russian text for a backend message; the English message when there is no entry. */
export function translateRu(message: string, code?: string, depth = 0): string {
  const hit = depth > 3 ? null : matchRu(message, code);
  if (!hit) return depth > 3 ? message : translateParts(message, code, depth);
  const values = new Map<string, string>();
  const m = hit.re.exec(message)!;
  hit.names.forEach((n, i) => values.set(n, m[i + 1]!));
  return hit.ru.replace(/\{([a-zA-Z]+)(?:\|([a-zA-Z]+))?\}/g, (_, name: string, kind: string | undefined) => {
    const v = values.get(name) ?? '';
    if (kind === 'msg') return translateRu(v, undefined, depth + 1);
    if (kind === 'pts') return pointsRu(v);
    if (kind === 'bound') return boundRu(v);
    return kind ? (WORDS[kind]?.[v] ?? v) : v;
  });
}

/**
 * Input checks arrive as "field: message; field: message" (describeZodError in core/contract):
 * the field names stay, each message is translated on its own.
 */
function translateParts(message: string, code: string | undefined, depth: number): string {
  const issues = message.split('; ');
  if (issues.length > 1) return issues.map((i) => translateRu(i, code, depth + 1)).join('; ');
  const field = /^([\w.]+): ([\s\S]+)$/.exec(message);
  return field ? `${fieldRu(field[1]!)}: ${translateRu(field[2]!, code, depth + 1)}` : message;
}

/** Input field names of the contract as a cashier knows them; "lines.0.qty" → "количество, строка 1". */
const FIELDS: Readonly<Record<string, string>> = {
  phone: 'Телефон', name: 'Имя', birthday: 'Дата рождения', pin: 'PIN', managerPin: 'PIN менеджера', reason: 'Причина', code: 'Код',
  cardCode: 'Номер карты', last4: 'Последние 4 цифры', qty: 'Количество', payments: 'Оплата', cashTendered: 'Получено наличными',
  lines: 'Строки', points: 'Баллы', amount: 'Сумма', serverUrl: 'Адрес сервера', from: 'С', to: 'По',
};

function fieldRu(path: string): string {
  const segs = path.split('.');
  const last = [...segs].reverse().find((x) => !/^\d+$/.test(x));
  const index = segs.find((x) => /^\d+$/.test(x));
  const name = last !== undefined ? FIELDS[last] : undefined;
  if (name === undefined) return path;
  return index !== undefined ? `${name}, строка ${Number(index) + 1}` : name;
}

export type Lang = 'ru' | 'en';

/** The message in the UI language: English is the backend's own text. */
export function localizeError(message: string, code: string | undefined, lang: Lang): string {
  return lang === 'ru' ? translateRu(message, code) : message;
}

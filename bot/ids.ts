// The only place Slack command names, callback IDs, action IDs and block IDs are spelled.
// manifest.json must list the same commands and shortcuts (test/bot/manifest.test.ts checks it).

export const COMMANDS = {
  request: '/request',
  receive: '/receive',
  stock: '/stock',
  admin: '/stockroom',
  count: '/count',
} as const;

export const SHORTCUTS = {
  requestSupplies: 'request_supplies',
  newPurchaseOrder: 'new_purchase_order',
} as const;

/** Buttons on requisition messages (approval DMs, the requester's thread, the warehouse pick task). */
export const REQUISITION_ACTIONS = {
  approve: 'requisition_approve',
  reject: 'requisition_reject',
  cancel: 'requisition_cancel',
  confirmPick: 'requisition_confirm_pick',
} as const;

/** Cycle counts: the counter's DM button, the blind count modal, the manager's decision buttons. */
export const COUNT_IDS = {
  start: 'count_start',
  approve: 'count_approve',
  reject: 'count_reject',
  modal: 'count_modal',
  /** Each line's input element; its block is countLineBlockId(lineId). */
  quantityInput: 'count_quantity',
} as const;
export const countLineBlockId = (lineId: string): string => `count_line_${lineId}`;
export const COUNT_LINE_BLOCK_PREFIX = 'count_line_';

/**
 * The request modal (/request, the global shortcut, App Home). Each line's blocks carry the line's key, so a
 * views.update that adds or removes a line keeps what was typed in the others (Slack keeps state by block_id).
 */
export const REQUEST_MODAL = {
  callbackId: 'request_modal',
  itemAction: 'request_item',
  quantityAction: 'request_quantity',
  neededByAction: 'request_needed_by',
  itemBlock: (key: number) => `request_line_${key}_item`,
  quantityBlock: (key: number) => `request_line_${key}_quantity`,
  neededByBlock: (key: number) => `request_line_${key}_needed_by`,
  linesBlock: 'request_lines',
  addLineAction: 'request_add_line',
  removeLineAction: 'request_remove_line',
  reasonBlock: 'request_reason',
  reasonAction: 'request_reason_input',
  costCenterBlock: 'request_cost_center',
  costCenterAction: 'request_cost_center',
} as const;

/** The reason an approver gives when rejecting. */
export const REJECT_MODAL = {
  callbackId: 'requisition_reject_modal',
  reasonBlock: 'reject_reason',
  reasonAction: 'reject_reason_input',
} as const;

/** The warehouse's pick confirmation: picked quantity per line, and what happens to the rest. */
export const PICK_MODAL = {
  callbackId: 'requisition_pick_modal',
  lineBlock: (lineNo: number) => `pick_line_${lineNo}`,
  quantityAction: 'pick_quantity',
  /** Per line: what becomes of the rest when that line is picked short. */
  remainderBlock: (lineNo: number) => `pick_remainder_${lineNo}`,
  remainderAction: 'pick_remainder_choice',
} as const;

/** Buttons on the App Home tab (its Approve / Reject reuse REQUISITION_ACTIONS). */
export const HOME_ACTIONS = {
  newRequest: 'home_new_request',
  refresh: 'home_refresh',
} as const;

/** Restocking (issue 6): the stock alert's button, purchase order buttons, and the receiving / reject modals. */
export const PURCHASING_ACTIONS = {
  createPurchaseOrder: 'restock_create_po',
  submit: 'po_submit',
  approve: 'po_approve',
  reject: 'po_reject',
  cancel: 'po_cancel',
  receive: 'po_receive',
  enterInvoice: 'po_enter_invoice',
} as const;

export const RECEIVE_MODAL = {
  callbackId: 'po_receive_modal',
  /** /receive without a PO number: the modal asks for it first. */
  pickCallbackId: 'po_receive_pick_modal',
  poBlock: 'receive_po',
  poAction: 'receive_po_input',
  quantityBlock: (lineNo: number) => `receive_line_${lineNo}_qty`,
  locationBlock: (lineNo: number) => `receive_line_${lineNo}_location`,
  quantityAction: 'receive_quantity',
  locationAction: 'receive_location',
  lotBlock: 'receive_lot',
  lotAction: 'receive_lot_input',
  noteBlock: 'receive_note',
  noteAction: 'receive_note_input',
} as const;

export const PO_REJECT_MODAL = {
  callbackId: 'po_reject_modal',
  reasonBlock: 'po_reject_reason',
  reasonAction: 'po_reject_reason_input',
} as const;

/** A buyer's purchase order by hand (the global shortcut): vendor, then up to NEW_PO_MAX_LINES lines. */
export const NEW_PO_MODAL = {
  callbackId: 'po_new_modal',
  vendorBlock: 'new_po_vendor',
  vendorAction: 'new_po_vendor_select',
  itemBlock: (line: number) => `new_po_line_${line}_item`,
  quantityBlock: (line: number) => `new_po_line_${line}_qty`,
  priceBlock: (line: number) => `new_po_line_${line}_price`,
  /** Answered by the request modal's item type-ahead (the same handler, registered for this id too). */
  itemAction: 'new_po_item',
  quantityAction: 'new_po_quantity',
  priceAction: 'new_po_price',
} as const;

/** A supplier invoice against a PO: its number, then quantity and unit price per PO line. */
export const INVOICE_MODAL = {
  callbackId: 'po_invoice_modal',
  numberBlock: 'invoice_number',
  numberAction: 'invoice_number_input',
  quantityBlock: (lineNo: number) => `invoice_line_${lineNo}_qty`,
  priceBlock: (lineNo: number) => `invoice_line_${lineNo}_price`,
  quantityAction: 'invoice_quantity',
  priceAction: 'invoice_price',
} as const;

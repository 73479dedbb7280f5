import { Decimal, toPlain } from '../../inventory/decimal.js';
import { defaultUomDecimals } from '../../inventory/units.js';
import { seededRandom, seedOf } from './random.js';

/**
 * The demo catalogue: office supplies and spare parts a mid-sized company keeps, with fictional
 * vendors, plausible prices and barcodes in the GS1 in-store range (prefix 20-29, never a real
 * product), two warehouses with aisles and bins. Pure and deterministic: same output every run.
 */

export interface DemoVendor {
  code: string;
  name: string;
  email: string;
  leadTimeDays: number;
}

export const DEMO_VENDORS: readonly DemoVendor[] = [
  { code: 'NORTHWIND', name: 'Northwind Office Supply', email: 'orders@northwind.example', leadTimeDays: 3 },
  { code: 'PROSEWARE', name: 'Proseware Paper Co.', email: 'sales@proseware.example', leadTimeDays: 5 },
  { code: 'ADATUM', name: 'Adatum Technology', email: 'b2b@adatum.example', leadTimeDays: 4 },
  { code: 'COHO', name: 'Coho Facility & Breakroom', email: 'service@coho.example', leadTimeDays: 4 },
  { code: 'CONTOSO', name: 'Contoso Industrial Supply', email: 'orders@contoso.example', leadTimeDays: 7 },
  { code: 'FABRIKAM', name: 'Fabrikam Fasteners', email: 'sales@fabrikam.example', leadTimeDays: 5 },
  { code: 'LAKESIDE', name: 'Lakeside Bearings & Transmission', email: 'parts@lakeside.example', leadTimeDays: 10 },
  { code: 'LITWARE', name: 'Litware Electrical Wholesale', email: 'trade@litware.example', leadTimeDays: 6 },
  { code: 'WOODGROVE', name: 'Woodgrove Lubricants', email: 'orders@woodgrove.example', leadTimeDays: 8 },
  { code: 'TAILSPIN', name: 'Tailspin Safety', email: 'orders@tailspin.example', leadTimeDays: 6 },
];

interface Family {
  code: string;
  /** '{v}' is replaced by the variant's label. */
  name: string;
  category: string;
  uom: string;
  vendor: string;
  /** Unit cost of the first variant, in money. */
  cost: number;
  /** Units issued in an average week, for the first variant. */
  demand: number;
  method?: 'fifo' | 'lifo' | 'wavg';
  /** Code, label, and optional cost and demand factors relative to the family's figures. */
  variants: [string, string, number?, number?][];
  barcode?: boolean;
  /** Also stocked in the workshop (spare parts used at the machines). */
  workshop?: boolean;
}

const colours = (codes: string): [string, string][] =>
  codes.split(',').map((c) => [c, { BL: 'blue', BK: 'black', RD: 'red', GN: 'green', YE: 'yellow', PK: 'pink', OR: 'orange' }[c]!]);

const FAMILIES: Family[] = [
  // Office supplies: writing
  { code: 'PEN-BP', name: 'Ballpoint pen, {v}, box of 12', category: 'Writing', uom: 'box', vendor: 'NORTHWIND', cost: 3.4, demand: 9, variants: colours('BL,BK,RD,GN'), barcode: true },
  { code: 'PEN-GEL', name: 'Gel pen 0.5 mm, {v}', category: 'Writing', uom: 'ea', vendor: 'NORTHWIND', cost: 1.15, demand: 14, variants: colours('BL,BK,RD'), barcode: true },
  { code: 'HIL', name: 'Highlighter, {v}', category: 'Writing', uom: 'ea', vendor: 'NORTHWIND', cost: 0.85, demand: 12, variants: colours('YE,GN,PK,OR'), barcode: true },
  { code: 'MRK-PERM', name: 'Permanent marker, {v}', category: 'Writing', uom: 'ea', vendor: 'NORTHWIND', cost: 1.1, demand: 6, variants: colours('BK,BL,RD'), barcode: true },
  { code: 'MRK-WB', name: 'Whiteboard marker, {v}', category: 'Writing', uom: 'ea', vendor: 'NORTHWIND', cost: 1.25, demand: 10, variants: colours('BK,BL,RD,GN'), barcode: true },
  { code: 'PCL-HB', name: 'Pencil HB, box of 12', category: 'Writing', uom: 'box', vendor: 'NORTHWIND', cost: 2.9, demand: 2, variants: [['12', '']], barcode: true },
  // Paper
  { code: 'PAP-A4', name: 'Copy paper A4 {v}, ream of 500', category: 'Paper', uom: 'ream', vendor: 'PROSEWARE', cost: 4.2, demand: 60, variants: [['80', '80 g/m²'], ['100', '100 g/m²', 1.6, 0.12], ['REC', '80 g/m² recycled', 1.1, 0.3]], barcode: true },
  { code: 'PAP-A3', name: 'Copy paper A3 80 g/m², ream of 500', category: 'Paper', uom: 'ream', vendor: 'PROSEWARE', cost: 8.9, demand: 4, variants: [['80', '']], barcode: true },
  { code: 'NB-A5', name: 'Notebook A5 ruled, {v}', category: 'Paper', uom: 'ea', vendor: 'PROSEWARE', cost: 1.8, demand: 8, variants: [['80', '80 sheets'], ['160', '160 sheets', 1.7, 0.5]], barcode: true },
  { code: 'NB-A4SP', name: 'Spiral notebook A4 squared', category: 'Paper', uom: 'ea', vendor: 'PROSEWARE', cost: 2.95, demand: 5, variants: [['1', '']], barcode: true },
  { code: 'STN', name: 'Sticky notes 76 × 76 mm, {v}, pack of 12', category: 'Paper', uom: 'pack', vendor: 'NORTHWIND', cost: 6.5, demand: 5, variants: [['YE', 'yellow'], ['AS', 'assorted neon', 1.25, 0.6]], barcode: true },
  { code: 'ENV', name: 'Envelope {v}, box of 500', category: 'Paper', uom: 'box', vendor: 'PROSEWARE', cost: 14.9, demand: 0.6, variants: [['DL', 'DL window'], ['C5', 'C5 plain', 1.3, 0.5], ['C4', 'C4 plain', 2.1, 0.4]], barcode: true },
  // Filing
  { code: 'LAF', name: 'Lever arch file A4 {v}', category: 'Filing', uom: 'ea', vendor: 'NORTHWIND', cost: 2.6, demand: 6, variants: [['75BK', '75 mm, black'], ['75BL', '75 mm, blue'], ['75RD', '75 mm, red', 1, 0.5], ['50BK', '50 mm, black', 0.95, 0.7]], barcode: true },
  { code: 'RB', name: 'Ring binder A4 2-ring {v}', category: 'Filing', uom: 'ea', vendor: 'NORTHWIND', cost: 1.9, demand: 4, variants: [['25', '25 mm'], ['40', '40 mm', 1.2]], barcode: true },
  { code: 'SPW', name: 'Punched pockets A4, pack of 100', category: 'Filing', uom: 'pack', vendor: 'NORTHWIND', cost: 3.75, demand: 3, variants: [['100', '']], barcode: true },
  // Desk
  { code: 'STP', name: 'Staples {v}, box of 1000', category: 'Desk', uom: 'box', vendor: 'NORTHWIND', cost: 0.95, demand: 4, variants: [['246', '24/6'], ['266', '26/6', 1.05, 0.6]], barcode: true },
  { code: 'STPL', name: 'Stapler, desktop, 25 sheets', category: 'Desk', uom: 'ea', vendor: 'NORTHWIND', cost: 7.8, demand: 0.5, variants: [['25', '']], barcode: true },
  { code: 'CLIP', name: 'Binder clips {v}, box of 12', category: 'Desk', uom: 'box', vendor: 'NORTHWIND', cost: 1.6, demand: 2, variants: [['19', '19 mm'], ['25', '25 mm', 1.2], ['32', '32 mm', 1.5], ['41', '41 mm', 1.9, 0.6]], barcode: true },
  { code: 'PCLIP', name: 'Paper clips 32 mm, box of 100', category: 'Desk', uom: 'box', vendor: 'NORTHWIND', cost: 0.7, demand: 3, variants: [['32', '']], barcode: true },
  { code: 'TAPE', name: '{v}', category: 'Desk', uom: 'roll', vendor: 'NORTHWIND', cost: 0.9, demand: 6, variants: [['CLR19', 'Clear tape 19 mm × 33 m'], ['PKBR', 'Packing tape 50 mm × 66 m, brown', 2.3, 0.8], ['PKCL', 'Packing tape 50 mm × 66 m, clear', 2.3, 0.6]], barcode: true },
  { code: 'SCIS', name: 'Scissors 21 cm', category: 'Desk', uom: 'ea', vendor: 'NORTHWIND', cost: 3.2, demand: 0.6, variants: [['21', '']], barcode: true },
  // Printer supplies: few units, high value (A items)
  { code: 'TON', name: 'Toner {v}', category: 'Printer supplies', uom: 'ea', vendor: 'ADATUM', cost: 89, demand: 1.5, method: 'lifo', variants: [['HP26A', 'HP 26A black'], ['HP59A', 'HP 59A black', 1.35, 0.8], ['BRTN2420', 'Brother TN-2420 black', 0.62, 1.2], ['K5240K', 'Kyocera TK-5240 black', 0.95], ['K5240C', 'Kyocera TK-5240 cyan', 1.2, 0.4], ['K5240M', 'Kyocera TK-5240 magenta', 1.2, 0.4], ['K5240Y', 'Kyocera TK-5240 yellow', 1.2, 0.4]], barcode: true },
  { code: 'DRUM', name: 'Drum unit {v}', category: 'Printer supplies', uom: 'ea', vendor: 'ADATUM', cost: 74, demand: 0.25, variants: [['BRDR2400', 'Brother DR-2400'], ['HP32A', 'HP 32A', 1.3]], barcode: true },
  // IT accessories
  { code: 'BAT', name: 'Battery {v}', category: 'IT accessories', uom: 'pack', vendor: 'ADATUM', cost: 3.6, demand: 7, variants: [['AA4', 'AA alkaline, pack of 4'], ['AAA4', 'AAA alkaline, pack of 4', 1, 0.7], ['9V', '9 V alkaline', 0.9, 0.15], ['CR2032', 'CR2032 lithium, pack of 5', 1.1, 0.3]], barcode: true },
  { code: 'CBL', name: 'Cable {v}', category: 'IT accessories', uom: 'ea', vendor: 'ADATUM', cost: 6.9, demand: 3, variants: [['USBC1', 'USB-C to USB-C, 1 m'], ['USBC2', 'USB-C to USB-C, 2 m', 1.3, 0.5], ['HDMI2', 'HDMI 2.0, 2 m', 1.15, 0.6], ['DP2', 'DisplayPort 1.4, 2 m', 1.5, 0.3]], barcode: true },
  { code: 'USB', name: 'USB flash drive {v}', category: 'IT accessories', uom: 'ea', vendor: 'ADATUM', cost: 6.2, demand: 1.2, variants: [['32', '32 GB'], ['64', '64 GB', 1.5, 0.6]], barcode: true },
  { code: 'MOUSE', name: 'Wireless mouse', category: 'IT accessories', uom: 'ea', vendor: 'ADATUM', cost: 14.5, demand: 1.5, variants: [['WL', '']], barcode: true },
  { code: 'KBD', name: 'Keyboard, {v} layout', category: 'IT accessories', uom: 'ea', vendor: 'ADATUM', cost: 21, demand: 0.8, variants: [['US', 'US'], ['UK', 'UK', 1, 0.4], ['DE', 'German', 1, 0.3]], barcode: true },
  { code: 'HSET', name: 'USB headset, stereo', category: 'IT accessories', uom: 'ea', vendor: 'ADATUM', cost: 32, demand: 0.7, variants: [['ST', '']], barcode: true },
  { code: 'CHG', name: 'Laptop charger USB-C 65 W', category: 'IT accessories', uom: 'ea', vendor: 'ADATUM', cost: 29.5, demand: 0.6, variants: [['65W', '']], barcode: true },
  // Breakroom and cleaning
  { code: 'COF', name: 'Coffee beans, {v}', category: 'Breakroom', uom: 'kg', vendor: 'COHO', cost: 16.8, demand: 9, method: 'wavg', variants: [['HOUSE', 'house blend'], ['DECAF', 'decaf', 1.15, 0.15]], barcode: true },
  { code: 'TEA', name: 'Tea bags, {v}, box of 100', category: 'Breakroom', uom: 'box', vendor: 'COHO', cost: 4.9, demand: 2, variants: [['BLK', 'black'], ['GRN', 'green', 1.2, 0.5], ['HRB', 'herbal', 1.3, 0.4]], barcode: true },
  { code: 'CUP', name: 'Paper cups 250 ml, pack of 50', category: 'Breakroom', uom: 'pack', vendor: 'COHO', cost: 3.1, demand: 6, variants: [['250', '']], barcode: true },
  { code: 'MILK', name: 'UHT milk 1.5 %, 1 l', category: 'Breakroom', uom: 'ea', vendor: 'COHO', cost: 0.99, demand: 30, variants: [['15', '']], barcode: true },
  { code: 'SOAP-DISH', name: 'Dish soap', category: 'Cleaning', uom: 'l', vendor: 'COHO', cost: 2.4, demand: 2, method: 'wavg', variants: [['1L', '']], barcode: true },
  { code: 'PTW', name: 'Paper towel, {v}', category: 'Cleaning', uom: 'pack', vendor: 'COHO', cost: 18.5, demand: 5, variants: [['ZF', 'Z-fold, 20 × 200 sheets'], ['ROLL', 'roll, 6 × 150 m', 1.4, 0.5]], barcode: true },
  { code: 'TP', name: 'Toilet paper 3-ply, pack of 48', category: 'Cleaning', uom: 'pack', vendor: 'COHO', cost: 21.9, demand: 4, variants: [['48', '']], barcode: true },
  { code: 'WIPE', name: 'Disinfectant wipes, tub of 100', category: 'Cleaning', uom: 'ea', vendor: 'COHO', cost: 4.4, demand: 4, variants: [['100', '']], barcode: true },
  { code: 'BAG', name: 'Trash bags {v}, roll of 25', category: 'Cleaning', uom: 'roll', vendor: 'COHO', cost: 2.2, demand: 6, variants: [['60L', '60 l'], ['120L', '120 l', 1.9, 0.5]], barcode: true },
  { code: 'SOAP-HAND', name: 'Hand soap refill 5 l', category: 'Cleaning', uom: 'ea', vendor: 'COHO', cost: 11.5, demand: 1, variants: [['5L', '']], barcode: true },

  { code: 'LBL-TZ', name: 'Label tape {v} × 8 m, black on white', category: 'Desk', uom: 'ea', vendor: 'NORTHWIND', cost: 14.2, demand: 1, variants: [['12', '12 mm'], ['18', '18 mm', 1.25, 0.5], ['24', '24 mm', 1.5, 0.4]], barcode: true },
  { code: 'LBL-ADR', name: 'Address labels 70 × 36 mm, box of 2400', category: 'Paper', uom: 'box', vendor: 'PROSEWARE', cost: 19.5, demand: 0.3, variants: [['7036', '']], barcode: true },
  { code: 'SUSP', name: 'Suspension files A4, green, box of 25', category: 'Filing', uom: 'box', vendor: 'NORTHWIND', cost: 11.9, demand: 0.4, variants: [['25', '']], barcode: true },
  { code: 'CALC', name: 'Desk calculator, 12 digits', category: 'Desk', uom: 'ea', vendor: 'NORTHWIND', cost: 9.9, demand: 0.2, variants: [['12', '']], barcode: true },
  { code: 'WB', name: '{v}', category: 'Writing', uom: 'ea', vendor: 'NORTHWIND', cost: 2.8, demand: 0.8, variants: [['ERASER', 'Whiteboard eraser, magnetic'], ['CLEAN', 'Whiteboard cleaner spray 250 ml', 1.4, 0.6]], barcode: true },
  { code: 'MPAD', name: 'Mouse pad, black', category: 'IT accessories', uom: 'ea', vendor: 'ADATUM', cost: 3.9, demand: 0.5, variants: [['BK', '']], barcode: true },
  { code: 'ADP', name: 'Adapter {v}', category: 'IT accessories', uom: 'ea', vendor: 'ADATUM', cost: 15.9, demand: 0.7, variants: [['USBC-HDMI', 'USB-C to HDMI'], ['USBC-ETH', 'USB-C to Ethernet', 1.1, 0.5]], barcode: true },
  { code: 'SUGAR', name: 'Sugar sticks 4 g, box of 1000', category: 'Breakroom', uom: 'box', vendor: 'COHO', cost: 12.4, demand: 0.8, variants: [['1000', '']], barcode: true },
  { code: 'NAPK', name: 'Napkins 33 × 33 cm, white, pack of 250', category: 'Breakroom', uom: 'pack', vendor: 'COHO', cost: 3.3, demand: 2, variants: [['250', '']], barcode: true },
  { code: 'WATER', name: 'Still water 0.5 l, case of 24', category: 'Breakroom', uom: 'ea', vendor: 'COHO', cost: 5.8, demand: 10, variants: [['24', '']], barcode: true },
  { code: 'SPONGE', name: 'Scouring sponges, pack of 10', category: 'Cleaning', uom: 'pack', vendor: 'COHO', cost: 2.7, demand: 1.5, variants: [['10', '']], barcode: true },
  { code: 'MOP', name: 'Microfibre mop head 40 cm', category: 'Cleaning', uom: 'ea', vendor: 'COHO', cost: 6.4, demand: 0.6, variants: [['40', '']], barcode: true },

  // Spare parts: fasteners (boxes of 100, cheap, many SKUs: the long C tail)
  {
    code: 'HB', name: 'Hex bolt DIN 933 {v} 8.8 zinc, box of 100', category: 'Fasteners', uom: 'box', vendor: 'FABRIKAM', cost: 4.1, demand: 0.8, workshop: true,
    variants: ['M6', 'M8', 'M10', 'M12', 'M16'].flatMap((m, mi) => ['20', '30', '40', '60'].map((l, li): [string, string, number, number] => [`${m}X${l}`, `${m} × ${l}`, (1 + mi * 0.8) * (1 + li * 0.25), 1 / (1 + mi * 0.4 + li * 0.3)])),
  },
  { code: 'HN', name: 'Hex nut DIN 934 {v} 8 zinc, box of 100', category: 'Fasteners', uom: 'box', vendor: 'FABRIKAM', cost: 1.9, demand: 1, workshop: true, variants: ['M5', 'M6', 'M8', 'M10', 'M12', 'M16'].map((m, i): [string, string, number] => [m, m, 0.8 + i * 0.6]) },
  { code: 'WS', name: 'Washer DIN 125 {v} zinc, box of 100', category: 'Fasteners', uom: 'box', vendor: 'FABRIKAM', cost: 0.9, demand: 1, workshop: true, variants: ['M5', 'M6', 'M8', 'M10', 'M12', 'M16'].map((m, i): [string, string, number] => [m, m, 0.8 + i * 0.5]) },
  {
    code: 'SHCS', name: 'Socket head cap screw DIN 912 {v} 12.9, box of 100', category: 'Fasteners', uom: 'box', vendor: 'FABRIKAM', cost: 6.5, demand: 0.5, workshop: true,
    variants: ['M5', 'M6', 'M8'].flatMap((m, mi) => ['16', '25', '35'].map((l, li): [string, string, number, number] => [`${m}X${l}`, `${m} × ${l}`, (1 + mi * 0.7) * (1 + li * 0.2), 1 / (1 + mi * 0.5)])),
  },
  { code: 'CTIE', name: 'Cable ties {v}, pack of 100', category: 'Fasteners', uom: 'pack', vendor: 'LITWARE', cost: 2.3, demand: 3, workshop: true, variants: [['200', '200 × 4.8 mm, black'], ['300', '300 × 4.8 mm, black', 1.4, 0.6], ['100', '100 × 2.5 mm, natural', 0.6, 0.8]] },
  { code: 'HCL', name: 'Hose clamp {v}, pack of 10', category: 'Fasteners', uom: 'pack', vendor: 'CONTOSO', cost: 4.9, demand: 0.7, workshop: true, variants: [['20-32', '20-32 mm'], ['32-50', '32-50 mm', 1.2], ['50-70', '50-70 mm', 1.5, 0.5]] },
  // Bearings and transmission: few, valuable, slow
  {
    code: 'BRG', name: 'Deep groove ball bearing {v}-2RS', category: 'Bearings', uom: 'ea', vendor: 'LAKESIDE', cost: 6.8, demand: 1.2, workshop: true,
    variants: [['6201', '6201'], ['6202', '6202', 1.1], ['6203', '6203', 1.25], ['6204', '6204', 1.45, 0.9], ['6205', '6205', 1.7, 0.8], ['6206', '6206', 2.3, 0.5], ['6304', '6304', 2, 0.5], ['6305', '6305', 2.6, 0.4]].map(([c, l, f, d]) => [c as string, l as string, f as number | undefined, d as number | undefined]),
  },
  { code: 'BRG-UCP', name: 'Pillow block bearing {v}', category: 'Bearings', uom: 'ea', vendor: 'LAKESIDE', cost: 24.5, demand: 0.2, workshop: true, variants: [['UCP204', 'UCP204'], ['UCP205', 'UCP205', 1.15], ['UCP206', 'UCP206', 1.4, 0.6]] },
  { code: 'VB', name: 'V-belt {v}', category: 'Transmission', uom: 'ea', vendor: 'LAKESIDE', cost: 9.4, demand: 0.4, workshop: true, variants: [['SPZ1000', 'SPZ 1000'], ['SPZ1250', 'SPZ 1250', 1.15], ['SPA1500', 'SPA 1500', 1.6, 0.7], ['SPA1800', 'SPA 1800', 1.8, 0.6], ['XPZ900', 'XPZ 900', 1.35, 0.5]] },
  // Electrical
  { code: 'FUSE', name: 'Fuse 5 × 20 mm {v} slow-blow, box of 10', category: 'Electrical', uom: 'box', vendor: 'LITWARE', cost: 2.8, demand: 0.8, workshop: true, variants: [['2A', '2 A'], ['4A', '4 A'], ['6A', '6 A', 1, 0.6], ['10A', '10 A', 1.1, 0.5]] },
  { code: 'MCB', name: 'Circuit breaker {v}', category: 'Electrical', uom: 'ea', vendor: 'LITWARE', cost: 5.6, demand: 0.3, workshop: true, variants: [['B16-1P', 'B16 1-pole'], ['C16-1P', 'C16 1-pole'], ['C32-3P', 'C32 3-pole', 4.1, 0.3]] },
  { code: 'CONT', name: 'Contactor {v}', category: 'Electrical', uom: 'ea', vendor: 'LITWARE', cost: 28, demand: 0.15, workshop: true, variants: [['9A24V', '9 A, 24 V DC coil'], ['18A230V', '18 A, 230 V AC coil', 1.6]] },
  { code: 'ETAPE', name: 'Insulating tape 19 mm × 20 m, {v}', category: 'Electrical', uom: 'roll', vendor: 'LITWARE', cost: 0.75, demand: 4, workshop: true, variants: [['BK', 'black'], ['BLU', 'blue', 1, 0.4], ['YG', 'yellow-green', 1, 0.4]] },
  { code: 'CAB-H07', name: 'Rubber cable H07RN-F {v}', category: 'Electrical', uom: 'm', vendor: 'LITWARE', cost: 2.45, demand: 25, method: 'wavg', workshop: true, variants: [['3G1.5', '3G1.5'], ['5G2.5', '5G2.5', 2.3, 0.4]] },
  { code: 'CAB-CAT6', name: 'Network cable Cat 6 U/UTP, grey', category: 'Electrical', uom: 'm', vendor: 'LITWARE', cost: 0.42, demand: 40, method: 'wavg', variants: [['GR', '']] },
  // Lubricants and fluids
  { code: 'OIL-HLP46', name: 'Hydraulic oil HLP 46', category: 'Lubricants', uom: 'l', vendor: 'WOODGROVE', cost: 3.85, demand: 18, method: 'wavg', workshop: true, variants: [['BULK', '']] },
  { code: 'OIL-GEAR', name: 'Gear oil CLP 220', category: 'Lubricants', uom: 'l', vendor: 'WOODGROVE', cost: 5.2, demand: 6, method: 'wavg', workshop: true, variants: [['BULK', '']] },
  { code: 'GRS', name: 'Multipurpose grease EP2, lithium', category: 'Lubricants', uom: 'kg', vendor: 'WOODGROVE', cost: 9.9, demand: 2.5, method: 'wavg', workshop: true, variants: [['EP2', '']] },
  { code: 'SPRAY', name: '{v}, 400 ml', category: 'Lubricants', uom: 'ea', vendor: 'WOODGROVE', cost: 5.9, demand: 3, workshop: true, variants: [['MP', 'Multi-purpose spray'], ['CLEAN', 'Brake and parts cleaner', 0.85, 1.4], ['CHAIN', 'Chain spray', 1.3, 0.4]] },
  // Filters and seals
  { code: 'FLT', name: '{v}', category: 'Filters', uom: 'ea', vendor: 'CONTOSO', cost: 18.5, demand: 0.5, workshop: true, variants: [['AIR-100', 'Air filter element AF-100'], ['AIR-200', 'Air filter element AF-200', 1.4, 0.6], ['OIL-30', 'Oil filter OF-30', 0.7, 0.8], ['HYD-10', 'Hydraulic return filter 10 µm', 2.2, 0.4]] },
  { code: 'ORING', name: 'O-ring NBR 70 {v}, pack of 50', category: 'Seals', uom: 'pack', vendor: 'CONTOSO', cost: 3.8, demand: 0.4, workshop: true, variants: [['10X2', '10 × 2 mm'], ['20X3', '20 × 3 mm', 1.3], ['30X3', '30 × 3 mm', 1.5, 0.7], ['KIT', 'assortment kit 382 pcs', 7.5, 0.2]] },
  // Safety
  { code: 'GLV-NIT', name: 'Nitrile gloves, size {v}, box of 100', category: 'Safety', uom: 'box', vendor: 'TAILSPIN', cost: 7.9, demand: 6, variants: [['M', 'M'], ['L', 'L', 1, 1.2], ['XL', 'XL', 1, 0.6]], barcode: true },
  { code: 'GLV-WRK', name: 'Work gloves, cut level B, size {v}', category: 'Safety', uom: 'pair', vendor: 'TAILSPIN', cost: 4.6, demand: 3, workshop: true, variants: [['9', '9'], ['10', '10', 1, 1.3]], barcode: true },
  { code: 'GLS', name: 'Safety glasses, clear', category: 'Safety', uom: 'ea', vendor: 'TAILSPIN', cost: 3.4, demand: 2, workshop: true, variants: [['CLR', '']], barcode: true },
  { code: 'EARP', name: 'Ear plugs, box of 200 pairs', category: 'Safety', uom: 'box', vendor: 'TAILSPIN', cost: 24, demand: 0.4, workshop: true, variants: [['200', '']], barcode: true },
  { code: 'VEST', name: 'Hi-vis vest, size {v}', category: 'Safety', uom: 'ea', vendor: 'TAILSPIN', cost: 3.2, demand: 0.5, variants: [['L', 'L'], ['XL', 'XL']], barcode: true },
  { code: 'SHOE', name: 'Safety shoes S3, size {v}', category: 'Safety', uom: 'pair', vendor: 'TAILSPIN', cost: 54, demand: 0.15, variants: ['40', '41', '42', '43', '44', '45', '46'].map((s, i): [string, string, number, number] => [s, s, 1, [0.4, 0.7, 1, 1.2, 1, 0.7, 0.3][i]!]), barcode: true },
  // Pneumatics, sensors, lighting, more mechanical parts
  {
    code: 'PF', name: 'Push-in fitting {v}', category: 'Pneumatics', uom: 'ea', vendor: 'CONTOSO', cost: 1.6, demand: 1.2, workshop: true,
    variants: ['straight', 'elbow', 'tee'].flatMap((shape, si) => ['6', '8', '10'].map((d, di): [string, string, number, number] => [`${shape.slice(0, 3).toUpperCase()}${d}`, `${shape}, ${d} mm tube`, (1 + si * 0.3) * (1 + di * 0.25), 1 / (1 + si * 0.5 + di * 0.3)])),
  },
  { code: 'PTUBE', name: 'Pneumatic tube PU {v} mm, blue', category: 'Pneumatics', uom: 'm', vendor: 'CONTOSO', cost: 0.65, demand: 12, method: 'wavg', workshop: true, variants: [['6', '6'], ['8', '8', 1.35, 0.7], ['10', '10', 1.8, 0.4]] },
  { code: 'SENS', name: 'Inductive proximity sensor {v}, PNP NO', category: 'Sensors', uom: 'ea', vendor: 'LITWARE', cost: 38, demand: 0.35, workshop: true, variants: [['M12', 'M12'], ['M18', 'M18', 1.2, 0.7], ['M30', 'M30', 1.7, 0.3]] },
  { code: 'LED', name: '{v}', category: 'Lighting', uom: 'ea', vendor: 'LITWARE', cost: 6.9, demand: 1.5, variants: [['T8-60', 'LED tube T8 60 cm, 9 W'], ['T8-120', 'LED tube T8 120 cm, 18 W', 1.3, 1.2], ['T8-150', 'LED tube T8 150 cm, 24 W', 1.6, 0.5], ['E27-806', 'LED bulb E27, 806 lm', 0.55, 1], ['E27-1521', 'LED bulb E27, 1521 lm', 0.85, 0.5], ['PNL6060', 'LED panel 60 × 60 cm, 36 W', 4.2, 0.2]], barcode: true },
  { code: 'RELAY', name: 'Interface relay 24 V DC, {v}', category: 'Electrical', uom: 'ea', vendor: 'LITWARE', cost: 8.7, demand: 0.4, workshop: true, variants: [['1CO', '1 changeover'], ['2CO', '2 changeover', 1.25, 0.5]] },
  { code: 'TERM', name: 'Terminal block {v} mm², grey, pack of 50', category: 'Electrical', uom: 'pack', vendor: 'LITWARE', cost: 24, demand: 0.3, workshop: true, variants: [['2.5', '2.5'], ['4', '4', 1.2, 0.6], ['6', '6', 1.5, 0.3]] },
  { code: 'CIRC', name: 'Circlip DIN 471 {v} mm, pack of 25', category: 'Fasteners', uom: 'pack', vendor: 'FABRIKAM', cost: 2.1, demand: 0.4, workshop: true, variants: ['10', '12', '15', '20', '25'].map((d, i): [string, string, number] => [d, d, 1 + i * 0.3]) },
  { code: 'SEAL', name: 'Radial shaft seal {v} NBR', category: 'Seals', uom: 'ea', vendor: 'CONTOSO', cost: 2.4, demand: 0.5, workshop: true, variants: [['20X35X7', '20 × 35 × 7'], ['25X40X7', '25 × 40 × 7', 1.1], ['30X47X7', '30 × 47 × 7', 1.25, 0.7], ['35X52X7', '35 × 52 × 7', 1.4, 0.5]] },
  { code: 'HOSE', name: 'Hydraulic hose assembly {v}', category: 'Hydraulics', uom: 'ea', vendor: 'CONTOSO', cost: 32, demand: 0.25, workshop: true, variants: [['025-0500', '1/4", 500 mm'], ['038-1000', '3/8", 1000 mm', 1.45], ['050-1000', '1/2", 1000 mm', 1.9, 0.6]] },
  { code: 'CHAIN', name: '{v}', category: 'Transmission', uom: 'ea', vendor: 'LAKESIDE', cost: 46, demand: 0.1, workshop: true, variants: [['08B1-5M', 'Roller chain 08B-1, 5 m'], ['08B1-CL', 'Connecting link 08B-1', 0.04, 6]] },
  { code: 'BIT', name: 'Screwdriver bit {v} × 25 mm, pack of 10', category: 'Tools', uom: 'pack', vendor: 'CONTOSO', cost: 4.2, demand: 0.6, workshop: true, variants: [['PH2', 'PH2'], ['PZ2', 'PZ2'], ['T20', 'TX20', 1.1, 0.7], ['T25', 'TX25', 1.1, 0.7], ['T30', 'TX30', 1.1, 0.4]] },
  { code: 'HEXK', name: 'Hex key set 1.5-10 mm, 9 pieces', category: 'Tools', uom: 'set', vendor: 'CONTOSO', cost: 12.9, demand: 0.1, workshop: true, variants: [['9', '']] },
  { code: 'MASK', name: 'Respirator mask FFP2, box of 20', category: 'Safety', uom: 'box', vendor: 'TAILSPIN', cost: 13.5, demand: 1, workshop: true, variants: [['20', '']], barcode: true },
  { code: 'FAK', name: 'First aid kit refill DIN 13157', category: 'Safety', uom: 'ea', vendor: 'TAILSPIN', cost: 27, demand: 0.15, variants: [['13157', '']], barcode: true },
  { code: 'HELM', name: 'Safety helmet, {v}', category: 'Safety', uom: 'ea', vendor: 'TAILSPIN', cost: 9.5, demand: 0.2, variants: [['WH', 'white'], ['YE', 'yellow', 1, 0.6]], barcode: true },
  // Tools and abrasives
  { code: 'DRL', name: 'HSS drill bit {v} mm', category: 'Tools', uom: 'ea', vendor: 'CONTOSO', cost: 1.3, demand: 1, workshop: true, variants: ['3', '4', '5', '6', '8', '10'].map((d, i): [string, string, number, number] => [d, d, 1 + i * 0.45, 1.2 - i * 0.15]) },
  { code: 'DISC', name: '{v}', category: 'Tools', uom: 'ea', vendor: 'CONTOSO', cost: 1.45, demand: 8, workshop: true, variants: [['CUT125', 'Cutting disc 125 × 1 mm, steel'], ['GRD125', 'Grinding disc 125 × 6 mm', 1.9, 0.4], ['FLAP80', 'Flap disc 125 mm, grit 80', 2.4, 0.5]] },
  { code: 'BLADE', name: 'Utility knife blades, pack of 10', category: 'Tools', uom: 'pack', vendor: 'CONTOSO', cost: 2.1, demand: 1.5, workshop: true, variants: [['18', '']], barcode: true },
];

export interface DemoItem {
  sku: string;
  name: string;
  category: string;
  uom: string;
  uomDecimals: number;
  barcode: string | null;
  vendor: string;
  /** Starting unit cost (exact decimal string); later receipts drift from it. */
  standardCost: string;
  valuationMethod: 'fifo' | 'lifo' | 'wavg' | null;
  /** Mean units issued per week (a plain number: it only drives the simulation). */
  weeklyDemand: number;
  /** Where it lives in the main warehouse, and at the workshop when it is also kept there. */
  bin: string;
  workshopShelf?: string;
}

/** EAN-13 in the in-store range (prefix 2…), check digit per GS1. */
export function ean13(body12: string): string {
  const digits = body12.split('').map(Number);
  const sum = digits.reduce((acc, d, i) => acc + d * (i % 2 === 0 ? 1 : 3), 0);
  return `${body12}${(10 - (sum % 10)) % 10}`;
}

export const MAIN_AISLES = 6;
export const MAIN_BINS_PER_AISLE = 12;
export const WORKSHOP_RACKS = 4;
export const WORKSHOP_SHELVES = 5;

export function demoLocations(): { path: string; kind: 'warehouse' | 'area' | 'aisle' | 'bin' | 'rack' | 'shelf' }[] {
  const out: ReturnType<typeof demoLocations> = [
    { path: 'Main', kind: 'warehouse' },
    { path: 'Main/Receiving', kind: 'area' },
  ];
  for (let a = 1; a <= MAIN_AISLES; a++) {
    out.push({ path: `Main/Aisle ${a}`, kind: 'aisle' });
    for (let b = 1; b <= MAIN_BINS_PER_AISLE; b++) out.push({ path: `Main/Aisle ${a}/Bin ${b}`, kind: 'bin' });
  }
  out.push({ path: 'Workshop', kind: 'warehouse' });
  for (let r = 1; r <= WORKSHOP_RACKS; r++) {
    out.push({ path: `Workshop/Rack ${r}`, kind: 'rack' });
    for (let s = 1; s <= WORKSHOP_SHELVES; s++) out.push({ path: `Workshop/Rack ${r}/Shelf ${s}`, kind: 'shelf' });
  }
  return out;
}

const OFFICE_CATEGORIES = ['Writing', 'Paper', 'Filing', 'Desk', 'Printer supplies', 'IT accessories', 'Breakroom', 'Cleaning'];

const money = (value: number, decimals: number) => toPlain(new Decimal(value.toFixed(decimals)));

/** Every demo item, in a fixed order; office supplies fill aisles 1-3, spare parts 4-6. */
export function demoCatalogue(): DemoItem[] {
  const items: DemoItem[] = [];
  let office = 0;
  let parts = 0;
  let workshop = 0;
  for (const family of FAMILIES) {
    const spare = !OFFICE_CATEGORIES.includes(family.category);
    for (const [code, label, costFactor = 1, demandFactor = 1] of family.variants) {
      const sku = `${family.code}-${code}`;
      const random = seededRandom(seedOf(sku));
      // Prices end in plausible cents; cheap consumables carry 3-4 decimals per unit from the vendor's lists.
      const cost = family.cost * costFactor * (0.96 + random.next() * 0.08);
      const slot = spare ? parts++ : office++;
      const bins = 3 * MAIN_BINS_PER_AISLE;
      const bin = `Main/Aisle ${(spare ? 4 : 1) + Math.floor((slot % bins) / MAIN_BINS_PER_AISLE)}/Bin ${(slot % MAIN_BINS_PER_AISLE) + 1}`;
      const shelf = family.workshop ? workshop++ : -1;
      items.push({
        sku,
        name: family.name.replace('{v}', label).replace(/, ,/g, ',').replace(/\s+,/g, ',').replace(/ {2,}/g, ' ').trim(),
        category: family.category,
        uom: family.uom,
        uomDecimals: defaultUomDecimals(family.uom),
        // Unique by construction: the body grows with the item's position.
        barcode: family.barcode || random.chance(0.5) ? ean13(`29${String(1_000_003 + items.length * 7919).padStart(10, '0')}`) : null,
        vendor: family.vendor,
        standardCost: money(cost, cost < 2 ? 3 : 2),
        valuationMethod: family.method ?? null,
        weeklyDemand: family.demand * demandFactor,
        bin,
        workshopShelf: shelf >= 0 ? `Workshop/Rack ${1 + Math.floor((shelf / WORKSHOP_SHELVES) % WORKSHOP_RACKS)}/Shelf ${(shelf % WORKSHOP_SHELVES) + 1}` : undefined,
      });
    }
  }
  return items;
}

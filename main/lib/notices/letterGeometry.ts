// Briefgeometrie (DIN 5008, Form B, A4): Maße in pt, Satzspiegel, Schriftgrade und Farben.
import { rgb } from 'pdf-lib'

export const MM = 72 / 25.4
export const A4: [number, number] = [595.28, 841.89]
export const PAGE_H = A4[1]
export const LEFT = 25 * MM
export const RIGHT = A4[0] - 20 * MM
export const TEXT_W = RIGHT - LEFT
export const BODY_SIZE = 10.5
export const LINE = 14.2
export const BOTTOM_LIMIT = 30 * MM
export const FOLLOW_TOP = 25 * MM
export const ACCENT = rgb(0.1, 0.25, 0.5)
export const GREY = rgb(0.35, 0.35, 0.35)
export const BLACK = rgb(0, 0, 0)

/** Höhe des sichtbaren Signaturblocks, der auf der letzten Seite freigehalten wird. */
export const SIGNATURE_BLOCK_HEIGHT = 26 * MM
export const SIGNATURE_BLOCK_WIDTH = 85 * MM

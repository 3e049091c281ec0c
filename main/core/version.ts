import pkg from '../../package.json'

/** The application's version: package.json is its one owner. */
export const APP_VERSION: string = pkg.version

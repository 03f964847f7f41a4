/** Absolute path of the built static files (index.html and assets/), with a trailing slash. */
export declare const portalDistDir: string;

// The web package; its implementation lands with its own issue (see the README's roadmap).
export const PACKAGE = '@jobmon/web';

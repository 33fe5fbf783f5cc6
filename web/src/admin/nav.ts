/** In-console navigation without a page load (keeps the access token in memory). */
export function go(href: string): void {
  history.pushState(null, "", href);
  window.dispatchEvent(new CustomEvent("gb-navigate"));
}

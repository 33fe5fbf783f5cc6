// What the console's list pages share: their filters live in the URL (so a list can be linked and
// the back button works), the server filters and pages, and a failure shows the server's words.
import { html, nothing } from "lit";
import { state } from "lit/decorators.js";

import { failure } from "../api.js";
import { Page } from "../base.js";
import { lang } from "../i18n.js";
import { count } from "../logic.js";
import { go } from "./nav.js";
import { call } from "./session.js";
import { ta } from "./text.js";

export abstract class ListPage<T> extends Page {
  @state() protected answer?: T;
  @state() protected error = "";
  protected readonly query = new URLSearchParams(location.search);
  /** The page's own path, e.g. `/admin/pods`. */
  protected abstract readonly path: string;
  /** The server's answer for the filters in [`query`]. */
  protected abstract fetch(): Promise<T>;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  protected async load(): Promise<void> {
    try {
      this.answer = await call(() => this.fetch());
      this.error = "";
    } catch (error) {
      this.error = failure(error).rawMessage;
    }
  }

  /** A filter form's submit: its filled-in fields become the page's query. */
  protected readonly filter = (event: SubmitEvent): void => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const [key, value] of new FormData(event.target as HTMLFormElement)) {
      const text = String(value).trim();
      if (text && text !== "0") next.set(key, text);
    }
    go(`${this.path}${next.size ? `?${next}` : ""}`);
  };

  /** This list with the same filters at `page` (the first page for ""). */
  protected pageHref(page: string): string {
    const next = new URLSearchParams(this.query);
    if (page) next.set("page", page);
    else next.delete("page");
    return `${this.path}${next.size ? `?${next}` : ""}`;
  }

  /** The error, "one moment", "none match", or the count line; `undefined` once rows follow. */
  protected heading(rows: number, total: bigint, none: string) {
    if (this.error) return html`<p role="alert" class="error">${this.error}</p>`;
    if (!this.answer) return html`<p aria-live="polite">${ta("working")}</p>`;
    if (rows === 0) return html`<p>${none}</p>`;
    return html`<p class="muted">${ta("shown", { n: rows, total: count(total, lang) })}</p>`;
  }

  /** "First" and "Next" under a list. */
  protected paging(nextPageToken: string) {
    return html`<p class="actions">
      ${this.query.get("page") ? html`<a class="button" href=${this.pageHref("")}>${ta("first")}</a>` : nothing}
      ${nextPageToken ? html`<a class="button" href=${this.pageHref(nextPageToken)}>${ta("next")}</a>` : nothing}
    </p>`;
  }
}

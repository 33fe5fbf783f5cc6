// Pages render into the light DOM: one stylesheet for everything, and screen readers and axe see
// one document. Lit's templates render every value as text, never as HTML.
import { LitElement } from "lit";

export class Page extends LitElement {
  private readonly relang = () => this.requestUpdate();

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener("gb-language", this.relang);
  }

  override disconnectedCallback(): void {
    window.removeEventListener("gb-language", this.relang);
    super.disconnectedCallback();
  }

  /** Sets the document title and moves focus to the page heading for screen readers. */
  protected announce(title: string): void {
    document.title = `${title} · GPUBROKER`;
  }
}

/**
 * Keeps one pane's failure from blanking the window: shows what went wrong in that pane,
 * with a way to close it or try again. The rest of the app keeps working.
 */
import { Component, type ReactNode } from 'react';

interface Props {
  /** What failed, for the message ("This memo"). */
  what: string;
  /** Changing this key resets the boundary (e.g. another memo is opened). */
  resetKey: string;
  onClose?: () => void;
  children: ReactNode;
}

interface State {
  error: Error | null;
  resetKey: string;
}

export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, resetKey: this.props.resetKey };

  static getDerivedStateFromError(error: Error): Partial<State> {
    return { error };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.resetKey !== state.resetKey ? { error: null, resetKey: props.resetKey } : null;
  }

  override componentDidCatch(error: Error): void {
    console.error(`${this.props.what} failed`, error);
  }

  override render(): ReactNode {
    if (!this.state.error) return this.props.children;
    return (
      <section className="pane empty-pane" aria-label={`${this.props.what} error`}>
        <div className="empty-state" role="alert">
          <h2>{this.props.what} could not be shown</h2>
          <p>{this.state.error.message}</p>
          <p>Nothing was changed or lost.</p>
          <div className="form-actions" style={{ justifyContent: 'center' }}>
            <button type="button" className="button" onClick={() => this.setState({ error: null })}>
              Try again
            </button>
            {this.props.onClose && (
              <button type="button" className="button" onClick={this.props.onClose}>
                Close
              </button>
            )}
          </div>
        </div>
      </section>
    );
  }
}

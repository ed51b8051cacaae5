import { useId, useState, type SyntheticEvent } from "react";

import {
  complement,
  formatCount,
  formatMoney,
  formatPrice,
  notional,
  type Price,
} from "../../shared/money.ts";
import type { TickGrid } from "../../shared/tickGrid.ts";
import { validateOrder, type FieldErrors, type OrderField, type ValidOrder } from "./orderValidation.ts";
import type { Action, Side } from "./types.ts";

/** One refusal from the server (a GraphQL UserError, or a transport failure with field null). */
export interface ServerError {
  readonly field: string | null;
  readonly message: string;
}

export type SubmitResult =
  | { readonly ok: true; readonly message: string }
  | { readonly ok: false; readonly errors: readonly ServerError[] };

/** A price picked on the ladder, in YES terms. */
export interface Prefill {
  readonly yesPrice: Price;
  readonly nonce: number;
}

interface OrderFormProps {
  grid: TickGrid;
  /** Where orders go, said on the button ("demo"). */
  environment: string | null;
  prefill?: Prefill | null;
  onSubmit: (order: ValidOrder) => Promise<SubmitResult>;
}

/** The server's input names for the form's fields. */
const SERVER_FIELDS: Record<string, OrderField> = {
  outcome: "side",
  side: "side",
  action: "action",
  price: "price",
  count: "count",
};

/** Trims a Price to its shortest dollar text for the input ("0.5600" -> "0.56"). */
function priceText(price: Price): string {
  return formatPrice(price).slice(1);
}

export function OrderForm({ grid, environment, prefill, onSubmit }: OrderFormProps) {
  const [side, setSide] = useState<Side>("yes");
  const [action, setAction] = useState<Action>("buy");
  const [price, setPrice] = useState("");
  const [count, setCount] = useState("1");
  const [touched, setTouched] = useState(false);
  const [serverErrors, setServerErrors] = useState<readonly ServerError[]>([]);
  const [sending, setSending] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const id = useId();

  // A new click on the ladder fills the price in the chosen side's terms
  // (adjusted while rendering, so there is no extra effect pass).
  const [seenPrefill, setSeenPrefill] = useState(prefill);
  if (prefill !== seenPrefill) {
    setSeenPrefill(prefill);
    if (prefill != null) {
      setPrice(priceText(side === "yes" ? prefill.yesPrice : complement(prefill.yesPrice)));
      setServerErrors([]);
    }
  }

  const validation = validateOrder({ side, action, price, count }, grid);
  const localErrors: FieldErrors = touched && !validation.ok ? validation.errors : {};
  const fieldError = (field: OrderField): string | undefined =>
    localErrors[field] ??
    serverErrors.find((e) => e.field !== null && SERVER_FIELDS[e.field] === field)?.message;
  const generalErrors = serverErrors.filter((e) => e.field === null || SERVER_FIELDS[e.field] === undefined);

  const submit = (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    setTouched(true);
    setNotice(null);
    if (!validation.ok) return;
    setSending(true);
    setServerErrors([]);
    onSubmit(validation.order)
      .then((result) => {
        if (result.ok) {
          setNotice(result.message);
        } else {
          setServerErrors(result.errors);
        }
      })
      .catch((error: unknown) => {
        setServerErrors([{ field: null, message: error instanceof Error ? error.message : String(error) }]);
      })
      .finally(() => {
        setSending(false);
      });
  };

  const cost = validation.ok ? notional(validation.order.price, validation.order.count) : null;
  const input = (field: OrderField) => ({
    id: `${id}-${field}`,
    "aria-invalid": fieldError(field) !== undefined,
    "aria-describedby": fieldError(field) === undefined ? undefined : `${id}-${field}-error`,
  });
  const errorText = (field: OrderField) => {
    const message = fieldError(field);
    return message === undefined ? null : (
      <span className="field__error" id={`${id}-${field}-error`}>
        {message}
      </span>
    );
  };
  const radio = <T extends string>(name: string, value: T, current: T, set: (v: T) => void, label: string) => (
    <label>
      <input
        type="radio"
        name={`${id}-${name}`}
        value={value}
        checked={current === value}
        onChange={() => {
          set(value);
          setServerErrors([]);
        }}
      />
      {label}
    </label>
  );

  return (
    <form className="orderform" onSubmit={submit} aria-label="Place order" noValidate>
      <div className="toolbar">
        <fieldset className="field" aria-label="Side">
          <span className="field__label">Contract</span>
          <div className="segmented">
            {radio("side", "yes", side, setSide, "YES")}
            {radio("side", "no", side, setSide, "NO")}
          </div>
          {errorText("side")}
        </fieldset>
        <fieldset className="field" aria-label="Action">
          <span className="field__label">Action</span>
          <div className="segmented">
            {radio("action", "buy", action, setAction, "Buy")}
            {radio("action", "sell", action, setAction, "Sell")}
          </div>
          {errorText("action")}
        </fieldset>
      </div>
      <div className="toolbar">
        <label className="field" htmlFor={`${id}-price`}>
          <span className="field__label">Limit price ($, {side.toUpperCase()} terms)</span>
          <input
            {...input("price")}
            className="input mono"
            inputMode="decimal"
            placeholder="0.56"
            value={price}
            onChange={(e) => {
              setPrice(e.target.value);
              setServerErrors([]);
            }}
          />
          {errorText("price")}
        </label>
        <label className="field" htmlFor={`${id}-count`}>
          <span className="field__label">Contracts</span>
          <input
            {...input("count")}
            className="input mono"
            inputMode="decimal"
            value={count}
            onChange={(e) => {
              setCount(e.target.value);
              setServerErrors([]);
            }}
          />
          {errorText("count")}
        </label>
      </div>
      {generalErrors.length > 0 && (
        <div className="state state--error" role="alert">
          <div>
            <strong className="state__title">The order was not placed</strong>
            {generalErrors.map((e) => (
              <p className="state__message" key={e.message}>
                {e.message}
              </p>
            ))}
          </div>
        </div>
      )}
      {notice !== null && (
        <div className="state state--empty" role="status">
          {notice}
        </div>
      )}
      <div className="toolbar">
        <button type="submit" className="button button--primary" disabled={sending}>
          {sending
            ? "Sending…"
            : `${action === "buy" ? "Buy" : "Sell"} ${side.toUpperCase()}${environment === null ? "" : ` on ${environment}`}`}
        </button>
        {cost !== null && validation.ok && (
          <span className="muted">
            {formatCount(validation.order.count)} × {formatPrice(validation.order.price)} ={" "}
            {formatMoney(cost)} (max {action === "buy" ? "cost" : "proceeds"})
          </span>
        )}
      </div>
    </form>
  );
}

// Every list screen is this one component: filters kept in the URL, the read keyed by the one
// query-key factory (api/queryKeys.ts) with those filters, loading / error / empty states, an
// accessible table, and "load more" over the API's cursor (or every item at once, for lists
// that are short by nature and sorted here, like meetings or the catalogue).
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { queryKeys, type Filters, type Resource } from '../api/queryKeys';
import { SelectField } from './Form';
import { LoadMore } from './LoadMore';
import { Page } from './Page';
import { EmptyState, ErrorState, Loading } from './States';
import { DateField, isIsoDate } from './DateField';

export interface CursorPage<T> {
  items: T[];
  next?: string | null;
}

export interface Column<T> {
  header: ReactNode;
  cell: (row: T) => ReactNode;
  /** The cell that names the row (`<th scope="row">`). */
  rowHeader?: boolean;
  className?: string;
  /** Left out when false (e.g. a column only the coordinator sees). */
  show?: boolean;
}

export type FilterField<K extends string> =
  | { kind: 'select'; key: K; label: string; options: { value: string; label: string }[]; placeholder?: string; className?: string }
  | { kind: 'date'; key: K; label: string; className?: string }
  | { kind: 'checkbox'; key: K; label: string; className?: string };

export interface ListFilters<K extends string> {
  /** The values in the URL (useFilters). */
  values: Record<K, string>;
  set: (next: Partial<Record<K, string>>) => void;
  fields: FilterField<K>[];
  /** Show "reset filters" while any is set. */
  resettable?: boolean;
}

type Source<T> =
  /** Page after page over the API's cursor, with "load more". */
  | { fetchPage: (after: string | undefined) => Promise<CursorPage<T>>; fetchAll?: never }
  /** Every item at once (short lists the screen sorts). */
  | { fetchAll: () => Promise<T[]>; fetchPage?: never };

export type ListViewProps<T, K extends string> = Source<T> & {
  resource: Resource;
  /** What the read depends on (the filters sent): part of the query key. */
  query?: Filters;
  filters?: ListFilters<K>;
  columns: Column<T>[];
  rowKey: (row: T) => string;
  rowProps?: (row: T) => { className?: string; 'data-testid'?: string };
  caption: string;
  empty: string;
  /** The empty state when filters are set. */
  emptyFiltered?: string;
  emptyExtra?: ReactNode;
  /** Orders the items read (e.g. overdue cases first). */
  sort?: (items: T[]) => T[];
  tableClassName?: string;
  /** Shown above the table, below the filters (confirmations, errors of row actions). */
  notices?: ReactNode;
};

function useList<T>(props: { resource: Resource; query: Filters } & Source<T>) {
  const { resource, query, fetchPage, fetchAll } = props;
  const paged = useInfiniteQuery({
    queryKey: queryKeys.list(resource, query),
    queryFn: ({ pageParam }) => fetchPage!(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
    enabled: !!fetchPage,
  });
  const whole = useQuery({ queryKey: queryKeys.everything(resource, query), queryFn: () => fetchAll!(), enabled: !!fetchAll });
  if (fetchPage) {
    return {
      items: paged.data?.pages.flatMap((p) => p.items) ?? [], isPending: paged.isPending, isError: paged.isError, error: paged.error,
      refetch: paged.refetch, more: { hasNextPage: paged.hasNextPage, isFetchingNextPage: paged.isFetchingNextPage, fetchNextPage: paged.fetchNextPage },
    };
  }
  return { items: whole.data ?? [], isPending: whole.isPending, isError: whole.isError, error: whole.error, refetch: whole.refetch, more: null };
}

export function ListView<T, K extends string = never>(props: ListViewProps<T, K>) {
  const { t } = useTranslation();
  const { resource, filters, columns, rowKey, rowProps, caption, empty, emptyFiltered, emptyExtra, sort, tableClassName, notices } = props;
  const list = useList<T>({
    resource, query: props.query ?? filters?.values ?? {}, ...(props.fetchPage ? { fetchPage: props.fetchPage } : { fetchAll: props.fetchAll! }),
  });
  const filtered = !!filters && Object.values<string>(filters.values).some((v) => !!v);
  const shown = columns.filter((c) => c.show !== false);
  const items = sort ? sort(list.items) : list.items;
  return (
    <>
      {filters && (
        <>
          <form className="row g-3 mb-2" aria-label={t('common.filters')} onSubmit={(e) => e.preventDefault()}>
            {filters.fields.map((f) => (
              <div key={f.key} className={`col-12 ${f.className ?? 'col-md'}`}>
                {f.kind === 'select' ? (
                  <SelectField id={`f-${f.key}`} label={f.label} value={filters.values[f.key]} placeholder={f.placeholder ?? t('common.all')}
                               onChange={(e) => filters.set({ [f.key]: e.target.value } as Partial<Record<K, string>>)} options={f.options} />
                ) : f.kind === 'date' ? (
                  <DateField id={`f-${f.key}`} label={f.label} value={filters.values[f.key]}
                             onChange={(v) => { if (v === '' || isIsoDate(v)) filters.set({ [f.key]: v } as Partial<Record<K, string>>); }} />
                ) : (
                  <div className="form-check mb-4 mt-md-4">
                    <input id={`f-${f.key}`} type="checkbox" checked={filters.values[f.key] === 'true'}
                           onChange={(e) => filters.set({ [f.key]: e.target.checked ? 'true' : '' } as Partial<Record<K, string>>)} />
                    <label htmlFor={`f-${f.key}`}>{f.label}</label>
                  </div>
                )}
              </div>
            ))}
          </form>
          {filters.resettable && filtered && (
            <button type="button" className="btn btn-link px-0 mb-2"
                    onClick={() => filters.set(Object.fromEntries(filters.fields.map((f) => [f.key, ''])) as Partial<Record<K, string>>)}>
              {t('common.resetFilters')}
            </button>
          )}
        </>
      )}
      {notices}
      {list.isPending ? <Loading /> : list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> :
        items.length === 0 ? (
          <EmptyState title={filtered && emptyFiltered ? emptyFiltered : empty}>{!filtered && emptyExtra}</EmptyState>
        ) : (
          <div className="table-responsive">
            <table className={tableClassName ?? 'table table-hover'}>
              <caption className="visually-hidden">{caption}</caption>
              <thead>
                <tr>{shown.map((c, i) => <th key={i} scope="col" className={c.className}>{c.header}</th>)}</tr>
              </thead>
              <tbody>
                {items.map((row) => (
                  <tr key={rowKey(row)} {...rowProps?.(row)}>
                    {shown.map((c, i) => c.rowHeader
                      ? <th key={i} scope="row" className={c.className}>{c.cell(row)}</th>
                      : <td key={i} className={c.className}>{c.cell(row)}</td>)}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      {list.more && <LoadMore {...list.more} />}
    </>
  );
}

/** A screen that is a list: the page (title, actions) around one ListView. */
export function ListPage<T, K extends string = never>({ title, subtitle, actions, children, ...list }: ListViewProps<T, K> & {
  title: string;
  subtitle?: ReactNode;
  actions?: ReactNode;
  /** Above the list (e.g. the record the list belongs to, a confirmation). */
  children?: ReactNode;
}) {
  return (
    <Page title={title} subtitle={subtitle} actions={actions}>
      {children}
      <ListView<T, K> {...(list as ListViewProps<T, K>)} />
    </Page>
  );
}

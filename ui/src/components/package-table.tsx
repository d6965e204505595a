import {
  flexRender,
  getCoreRowModel,
  getFilteredRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type SortingState,
} from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useMemo, useRef, useState } from "react";
import { Link } from "react-router";
import type { Package } from "../../../core/model";

// An environment's packages: searchable, sortable, and virtual (only the rows in view are in the
// DOM), so a 2,000-package environment scrolls as smoothly as a 20-package one. Its height
// follows the environment's size, not the search's, so typing in the search moves nothing below.

const ROW_HEIGHT = 32;
const VIEW_ROWS = 14;

interface Row {
  name: string;
  version: string;
  installer: string;
  source: string;
}

function describeSource(pkg: Package): string {
  const s = pkg.source;
  if (!s || !s.kind) return "";
  if (s.kind === "vcs") return `${s.vcs || "vcs"} ${s.url}${s.commit ? `@${s.commit.slice(0, 10)}` : ""}`;
  if (s.url) return `${s.kind} ${s.url}`;
  if (s.channel) return `${s.kind} ${s.channel}`;
  return s.kind;
}

const columns: ColumnDef<Row>[] = [
  { accessorKey: "name", header: "Package" },
  {
    accessorKey: "version",
    header: "Version",
    // "Where else is this version used": the package search, for exactly this version.
    cell: ({ row }) => (
      <Link
        to={`/packages?${new URLSearchParams({ package: row.original.name, version: row.original.version }).toString()}`}
        title={`Where else is ${row.original.name} ${row.original.version} used`}
        className="where-else"
      >
        {row.original.version}
      </Link>
    ),
  },
  { accessorKey: "installer", header: "Installer" },
  { accessorKey: "source", header: "Source" },
];

export function PackageTable({ packages }: { packages: Package[] }) {
  const data = useMemo<Row[]>(
    () => packages.map((p) => ({ name: p.name, version: p.version, installer: p.installer, source: describeSource(p) })),
    [packages],
  );
  const [sorting, setSorting] = useState<SortingState>([{ id: "name", desc: false }]);
  const [filter, setFilter] = useState("");
  const table = useReactTable({
    data,
    columns,
    state: { sorting, globalFilter: filter },
    onSortingChange: setSorting,
    onGlobalFilterChange: setFilter,
    globalFilterFn: "includesString",
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
  });
  const rows = table.getRowModel().rows;
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const padTop = items[0]?.start ?? 0;
  const padBottom = items.length > 0 ? virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0) : 0;

  return (
    <div className="package-table">
      <div className="table-tools">
        <input
          type="search"
          aria-label="Search packages"
          placeholder={`Search ${data.length} packages`}
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <span className="hint" aria-live="polite">
          {rows.length === data.length ? `${data.length} packages` : `${rows.length} of ${data.length} packages`}
        </span>
      </div>
      <div className="virtual-scroll" ref={scrollRef} style={{ height: ROW_HEIGHT * (Math.min(Math.max(data.length, 1), VIEW_ROWS) + 1) + 2 }} tabIndex={0} aria-label="Packages">
        <table className="packages">
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  return (
                    <th key={header.id} scope="col" aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : "none"}>
                      <button type="button" className="sort" onClick={header.column.getToggleSortingHandler()}>
                        {flexRender(header.column.columnDef.header, header.getContext())}
                        <span aria-hidden="true">{sorted === "asc" ? " ▲" : sorted === "desc" ? " ▼" : ""}</span>
                      </button>
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {padTop > 0 && (
              <tr aria-hidden="true">
                <td colSpan={columns.length} style={{ height: padTop, padding: 0, border: 0 }} />
              </tr>
            )}
            {items.map((item) => {
              const row = rows[item.index]!;
              return (
                <tr key={row.id} style={{ height: ROW_HEIGHT }}>
                  {row.getVisibleCells().map((cell) => (
                    <td key={cell.id} className={cell.column.id === "name" ? "" : cell.column.id === "source" ? "ellipsis mono" : "mono"}>
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </td>
                  ))}
                </tr>
              );
            })}
            {padBottom > 0 && (
              <tr aria-hidden="true">
                <td colSpan={columns.length} style={{ height: padBottom, padding: 0, border: 0 }} />
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export interface EvidenceTable {
  sha256: string;
  mime: string;
  size: number;
  uploaded_by: number | null;
  uploaded_at: Date;
}

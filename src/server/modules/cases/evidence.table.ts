export interface EvidenceTable {
  sha256: string;
  mime: string;
  size: number;
  width: number;
  height: number;
  taken_at: Date | null;
  lon: number | null;
  lat: number | null;
  thumbnail_sha256: string;
  uploaded_by: number | null;
  uploaded_at: Date;
}

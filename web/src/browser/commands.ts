// What the shell's New menu and search box ask of the open folder. The
// browser registers itself while mounted.
import { store } from '../lib/store';

export interface FolderCommands {
  uri: string;
  canCreate: boolean;
  newFolder(): void;
  newFile(): void;
  uploadFiles(): void;
  uploadFolder(): void;
}

export const activeFolder = store<FolderCommands | null>(null);

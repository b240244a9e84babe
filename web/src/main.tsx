import { render } from 'preact';
import './styles.css';
import { App } from './App';
import { bootstrap } from './state';

void bootstrap().finally(() => render(<App />, document.getElementById('app')!));

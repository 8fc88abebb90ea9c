import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import './fonts.css';
import './styles.css';

createRoot(document.getElementById('root')!).render(<App />);
